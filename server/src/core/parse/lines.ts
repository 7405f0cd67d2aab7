// Line starts of a text, for turning string offsets into 0-based line/character pairs (LSP) or 1-based ones (CLI).
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
  }

  /** 0-based line and UTF-16 character of an offset. */
  position(offset: number): { line: number; character: number } {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - this.starts[lo] };
  }

  /** Offset of a 0-based line/character (clamped to the line). */
  offset(line: number, character: number): number {
    if (line >= this.starts.length) return this.text.length;
    if (line < 0) return 0;
    const start = this.starts[line];
    const end = line + 1 < this.starts.length ? this.starts[line + 1] - 1 : this.text.length;
    return Math.min(start + Math.max(0, character), end);
  }

  /** String offsets of a 0-based line, without its line break. */
  lineSpan(line: number): { start: number; end: number } {
    return { start: this.offset(line, 0), end: this.offset(line, Number.MAX_SAFE_INTEGER) };
  }

  get lineCount(): number {
    return this.starts.length;
  }
}
