// An account's picture, read with care: the engine may run as root, and the user
// owns ~/.face. Only regular files (never through a link) owned by whom they
// should be, small enough, with the bytes of a PNG, JPEG, GIF or WebP image.
import { chownSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { discPng } from '../../../lab/pictures';
import { makeTempDir } from '../../../lab/tmp';
import { MAX_PICTURE_BYTES, pictureType, userPicture } from '../user-picture';

const ONE_PIXEL_PNG = discPng([200, 40, 40], [255, 255, 255], 1);

const myUid = process.getuid?.() ?? 0;

function home(name: string, face?: Buffer | string): { name: string; uid: number; home: string } {
  const dir = join(makeTempDir('gatehouse-picture-'), name);
  mkdirSync(dir);
  if (face !== undefined) writeFileSync(join(dir, '.face'), face);
  return { name, uid: myUid, home: dir };
}

const noIcons = { iconDir: '/nonexistent-accountsservice-icons' };

describe('userPicture', () => {
  it('reads ~/.face as a data: URL when it is an image the user owns', () => {
    expect(userPicture(home('ann', ONE_PIXEL_PNG), noIcons)).toBe(`data:image/png;base64,${ONE_PIXEL_PNG.toString('base64')}`);
  });

  it('refuses a link, a file of someone else, a big file, a non-image and SVG', () => {
    const link = home('ben');
    const target = join(makeTempDir('gatehouse-picture-target-'), 'secret.png');
    writeFileSync(target, ONE_PIXEL_PNG);
    symlinkSync(target, join(link.home, '.face'));
    expect(userPicture(link, noIcons)).toBeUndefined();

    expect(userPicture({ ...home('cid', ONE_PIXEL_PNG), uid: myUid + 1 }, noIcons)).toBeUndefined();
    const big = Buffer.concat([ONE_PIXEL_PNG, Buffer.alloc(MAX_PICTURE_BYTES)]);
    expect(userPicture(home('dee', big), noIcons)).toBeUndefined();
    expect(userPicture(home('eve', 'root:x:0:0:root:/root:/bin/bash\n'), noIcons)).toBeUndefined();
    expect(userPicture(home('fay', '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), noIcons)).toBeUndefined();
    const directory = home('gus');
    mkdirSync(join(directory.home, '.face'));
    expect(userPicture(directory, noIcons)).toBeUndefined();
  });

  it('prefers AccountsService\'s icon, which must belong to root', () => {
    const icons = makeTempDir('gatehouse-icons-');
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46]);
    writeFileSync(join(icons, 'hal'), jpeg);
    const user = home('hal', ONE_PIXEL_PNG);
    const expected = myUid === 0 ? `data:image/jpeg;base64,${jpeg.toString('base64')}` : `data:image/png;base64,${ONE_PIXEL_PNG.toString('base64')}`;
    expect(userPicture(user, { iconDir: icons })).toBe(expected);
    if (myUid === 0) {
      chownSync(join(icons, 'hal'), 4242, 4242);
      expect(userPicture(user, { iconDir: icons })).toBe(`data:image/png;base64,${ONE_PIXEL_PNG.toString('base64')}`);
    }
  });

  it('never takes a name that is a path', () => {
    expect(userPicture({ name: '../etc', uid: myUid, home: '/nonexistent' }, { iconDir: makeTempDir() })).toBeUndefined();
  });

  it('knows images by their bytes', () => {
    expect(pictureType(ONE_PIXEL_PNG)).toBe('image/png');
    expect(pictureType(Buffer.from('GIF89a......'))).toBe('image/gif');
    expect(pictureType(Buffer.from('RIFF\0\0\0\0WEBPVP8 '))).toBe('image/webp');
    expect(pictureType(Buffer.from('<svg'))).toBeUndefined();
  });
});
