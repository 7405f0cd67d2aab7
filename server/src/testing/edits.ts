// fast-check generators of SQL texts and editor edits (lone surrogates, CR / CRLF / LF, ranges over lines), for property tests.
import fc from 'fast-check';

/** Pieces a text is built from: statements that rules look at, the characters that break offset code, and SQL syntax that changes where statements end. */
export const PIECES: readonly string[] = [
  'select 1',
  'select * from t',
  'delete from t',
  'update t set a = 1',
  ' where id = 1',
  'create table t (id int)',
  'create index i on t (a)',
  'alter table t add column b int not null',
  'begin',
  'commit',
  '-- pgdba-ignore unbounded-write\n',
  ';',
  ' ',
  'x',
  '\n',
  '\r\n',
  '\r',
  '\uD800',
  '\uDC00',
  '\uD83D\uDE00',
  'é',
  "'",
  '"',
  '(',
  ')',
  '$$',
  '--',
  '/*',
  '*/',
];

/** A text of up to `max` pieces. */
export function sqlText(max = 30): fc.Arbitrary<string> {
  return fc.array(fc.constantFrom(...PIECES), { maxLength: max }).map((a) => a.join(''));
}

/** An edit by string offsets: `at` and `length` are taken modulo the text they apply to, so any pair fits any text. */
export interface OffsetEdit {
  at: number;
  length: number;
  text: string;
}

export function offsetEdit(): fc.Arbitrary<OffsetEdit> {
  return fc.record({ at: fc.nat(), length: fc.oneof(fc.constant(0), fc.nat(3), fc.nat()), text: sqlText(4) });
}

/** Applies an edit; the replaced range may span lines and may start or end inside a CRLF or a surrogate pair. */
export function applyOffsetEdit(text: string, e: OffsetEdit): string {
  const start = e.at % (text.length + 1);
  const end = start + (e.length % (text.length - start + 1));
  return text.slice(0, start) + e.text + text.slice(end);
}

/**
 * An edit as an editor sends it: line/character positions that may lie past the end of their line or of the
 * document (the server must clamp them), a start after the end, and text with any line ends.
 */
export interface PositionEdit {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  text: string;
}

/** A generated edit before it is placed in a document: its line is taken modulo the document's lines (plus one). */
export interface EditSpec {
  line: number;
  character: number;
  lines: number;
  endCharacter: number;
  reversed: boolean;
  text: string;
}

export function positionEdit(): fc.Arbitrary<EditSpec> {
  return fc.record({ line: fc.nat(), character: fc.nat(14), lines: fc.nat(3), endCharacter: fc.nat(14), reversed: fc.boolean(), text: sqlText(4) });
}

/** Places a generated position edit in a document of `lineCount` lines (lines up to one past the last). */
export function placeEdit(e: EditSpec, lineCount: number): PositionEdit {
  const a = { line: e.line % (lineCount + 1), character: e.character };
  const b = { line: a.line + e.lines, character: e.endCharacter };
  return { range: e.reversed ? { start: b, end: a } : { start: a, end: b }, text: e.text };
}
