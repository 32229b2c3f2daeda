// Bytes for an answer that can really be wiped. V8 keeps a small typed array
// (up to 64 bytes: most answers) inside its own heap and moves it out, copying
// it, the first time its memory is asked for (a subarray, the addon reading it),
// leaving the old copy behind where nothing can zero it. A view over an
// ArrayBuffer of its own lives outside the heap from the start: zeroing it
// zeroes the only copy.
export function answerBytes(length: number): Buffer {
  return Buffer.from(new ArrayBuffer(length));
}

/** `source` copied into answerBytes. */
export function copyToAnswerBytes(source: ArrayLike<number>): Buffer {
  const copy = answerBytes(source.length);
  for (let i = 0; i < source.length; i++) copy[i] = source[i]!;
  return copy;
}
