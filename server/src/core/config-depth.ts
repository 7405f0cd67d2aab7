// Keeps a pgdba.json value nested past any real configuration away from jsonc-parser, whose recursive descent runs out of stack on it.
import { createScanner, SyntaxKind } from 'jsonc-parser';

/** pgdba.json needs 4 levels at most ("rules" → id → level); 64 leaves room and stays far from the stack's end. */
export const MAX_CONFIG_DEPTH = 64;

export interface DeepValue {
  /** The top-level key whose value is too deep (undefined: the whole file is). */
  key?: string;
  /** Where to report it: the key, or the start of the text. */
  start: number;
  end: number;
}

const OPEN = new Set([SyntaxKind.OpenBraceToken, SyntaxKind.OpenBracketToken]);
const CLOSE = new Set([SyntaxKind.CloseBraceToken, SyntaxKind.CloseBracketToken]);

/**
 * Replaces each top-level value nested deeper than `limit` (or the whole text, when no key holds it) with `0` padded by spaces (line ends kept, so every
 * offset and line after it stays where it was), scanning with jsonc-parser's scanner, which does not recurse.
 */
export function blankDeepValues(text: string, limit = MAX_CONFIG_DEPTH): { text: string; deep: DeepValue[] } {
  const scanner = createScanner(text, false);
  const deep: DeepValue[] = [];
  const blanks: { start: number; end: number }[] = [];
  let depth = 0;
  let key: { name: string; start: number; end: number } | undefined;
  let valueStart = 0;
  let tooDeep = false;
  for (let kind = scanner.scan(); kind !== SyntaxKind.EOF; kind = scanner.scan()) {
    const offset = scanner.getTokenOffset();
    if (depth === 1 && kind === SyntaxKind.StringLiteral) key = { name: scanner.getTokenValue(), start: offset, end: offset + scanner.getTokenLength() };
    if (OPEN.has(kind)) {
      if (depth <= 1) valueStart = offset;
      depth++;
      if (depth > limit) tooDeep = true;
    } else if (CLOSE.has(kind) && depth > 0) {
      depth--;
      if (depth <= 1 && tooDeep) {
        const atKey = depth === 1 && key;
        blanks.push(atKey ? { start: valueStart, end: offset + 1 } : { start: 0, end: text.length });
        deep.push(atKey ? { key: key!.name, start: key!.start, end: key!.end } : { start: 0, end: 0 });
        tooDeep = false;
      }
    }
  }
  // Unclosed at the end of the text: blank to the end.
  if (tooDeep) {
    const atKey = key && valueStart > 0;
    blanks.push({ start: atKey ? valueStart : 0, end: text.length });
    deep.push(atKey ? { key: key!.name, start: key!.start, end: key!.end } : { start: 0, end: 0 });
  }
  // `0` over the opening bracket, spaces over the rest: one character, so no line end has to go.
  let out = text;
  for (const b of blanks.reverse()) out = out.slice(0, b.start) + '0' + out.slice(b.start + 1, b.end).replace(/[^\r\n]/g, ' ') + out.slice(b.end);
  return { text: out, deep };
}
