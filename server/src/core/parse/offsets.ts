// Converts libpg-query's UTF-8 byte offsets into JavaScript string (UTF-16) offsets, once per text.

/** Maps UTF-8 byte offsets of one text to UTF-16 string offsets. */
export class ByteOffsetMap {
  private readonly ascii: boolean;
  private readonly byteToChar: Int32Array | undefined;

  constructor(readonly text: string) {
    // Fast path: for pure ASCII text bytes and chars coincide.
    // eslint-disable-next-line no-control-regex
    this.ascii = !/[^\x00-\x7f]/.test(text);
    if (this.ascii) return;
    const bytes = utf8Length(text);
    const map = new Int32Array(bytes + 1);
    let b = 0;
    for (let i = 0; i < text.length; i++) {
      // codePointAt gives a lone surrogate itself (3 bytes), as utf8Length and wellFormed count it.
      const code = text.codePointAt(i)!;
      const len = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
      for (let k = 0; k < len; k++) map[b + k] = i;
      b += len;
      if (code >= 0x10000) i++; // surrogate pair: two UTF-16 units
    }
    map[bytes] = text.length;
    this.byteToChar = map;
  }

  /** String offset of a byte offset (clamped to the text). */
  toChar(byteOffset: number): number {
    if (byteOffset <= 0) return 0;
    if (this.ascii) return Math.min(byteOffset, this.text.length);
    const map = this.byteToChar!;
    return byteOffset >= map.length ? this.text.length : map[byteOffset];
  }
}

/** Byte length of a string in UTF-8 (a lone surrogate counts as the 3 bytes of the U+FFFD that replaces it). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && isLowSurrogate(s.charCodeAt(i + 1))) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The text libpg-query is given: lone surrogates (an editor can hold them mid-edit) become U+FFFD, one UTF-16 unit
 * as well, so string offsets are unchanged. Emscripten sizes its input buffer by counting any surrogate as half of a
 * 4-byte pair but encodes a lone one in 3 bytes: a lone surrogate before a non-ASCII character overflowed that buffer
 * and cut the end of the text off, which the parser then called a syntax error.
 */
export function wellFormed(text: string): string {
  return LONE_SURROGATE.test(text) ? text.replace(new RegExp(LONE_SURROGATE.source, 'g'), '\uFFFD') : text;
}

/** The longest prefix of `s` that fits in `maxBytes` UTF-8 bytes, never splitting a character (as pg_mbcliplen). */
export function truncateUtf8(s: string, maxBytes: number): string {
  let bytes = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const pair = c >= 0xd800 && c <= 0xdbff && isLowSurrogate(s.charCodeAt(i + 1));
    const len = pair ? 4 : c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
    if (bytes + len > maxBytes) return s.slice(0, i);
    bytes += len;
    if (pair) i++;
  }
  return s;
}
