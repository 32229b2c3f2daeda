// Screenshots of the whole X screen through xwd(1), read pixel by pixel: what a
// person in front of the screen would see.
import type { XServer } from './x-server';

export interface Screenshot {
  width: number;
  height: number;
  /** 0xRRGGBB at (x, y). */
  pixel(x: number, y: number): number;
  /** How many pixels have exactly this colour. */
  count(rgb: number): number;
}

/** xwd -root: the screen as it is now. */
export function screenshot(server: XServer): Screenshot {
  return parseXwd(server.runRaw('xwd', ['-root', '-silent']));
}

function maskShift(mask: number): number {
  let shift = 0;
  while (shift < 32 && ((mask >>> shift) & 1) === 0) shift++;
  return shift;
}

/** An XWD file (X11/XWDFile.h): a big-endian header, the colour map, then the image. */
export function parseXwd(data: Buffer): Screenshot {
  const field = (index: number) => data.readUInt32BE(index * 4);
  const headerSize = field(0);
  const width = field(4);
  const height = field(5);
  const byteOrder = field(7); // 0: LSBFirst
  const bitsPerPixel = field(11);
  const bytesPerLine = field(12);
  const masks = [field(14), field(15), field(16)];
  const colours = field(19);
  if (bitsPerPixel !== 32) throw new Error(`xwd: ${bitsPerPixel} bits per pixel; the tests expect a 24-bit TrueColor screen`);
  const start = headerSize + colours * 12;
  const shifts = masks.map(maskShift);
  const pixel = (x: number, y: number) => {
    const offset = start + y * bytesPerLine + x * 4;
    const raw = byteOrder === 0 ? data.readUInt32LE(offset) : data.readUInt32BE(offset);
    const [r, g, b] = masks.map((mask, i) => ((raw & mask!) >>> shifts[i]!) & 0xff);
    return (r! << 16) | (g! << 8) | b!;
  };
  return {
    width,
    height,
    pixel,
    count(rgb) {
      let n = 0;
      for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) if (pixel(x, y) === rgb) n++;
      return n;
    },
  };
}
