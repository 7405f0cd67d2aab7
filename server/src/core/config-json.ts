// Reading pgdba.json's JSON-with-comments text: a byte-order mark is skipped, parse errors read as "expected '}' at 3:5",
// and keys JSON would take silently (a repeated key, last one winning; `__proto__`, which sets an object's prototype) are reported.
import { parseTree, ParseErrorCode, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import { LineIndex } from './parse/lines';

export interface JsonProblem {
  message: string;
  start: number;
  end: number;
  path: (string | number)[];
}

const EXPECTED: Record<number, string> = {
  [ParseErrorCode.InvalidSymbol]: 'unexpected character',
  [ParseErrorCode.InvalidNumberFormat]: 'invalid number',
  [ParseErrorCode.PropertyNameExpected]: 'expected a property name in double quotes',
  [ParseErrorCode.ValueExpected]: 'expected a value',
  [ParseErrorCode.ColonExpected]: "expected ':'",
  [ParseErrorCode.CommaExpected]: "expected ','",
  [ParseErrorCode.CloseBraceExpected]: "expected '}'",
  [ParseErrorCode.CloseBracketExpected]: "expected ']'",
  [ParseErrorCode.EndOfFileExpected]: 'expected the end of the file after the object',
  [ParseErrorCode.InvalidCommentToken]: 'invalid comment',
  [ParseErrorCode.UnexpectedEndOfComment]: 'unterminated /* comment',
  [ParseErrorCode.UnexpectedEndOfString]: 'unterminated string',
  [ParseErrorCode.UnexpectedEndOfNumber]: 'unterminated number',
  [ParseErrorCode.InvalidUnicode]: 'invalid \\u escape',
  [ParseErrorCode.InvalidEscapeCharacter]: 'invalid escape character',
  [ParseErrorCode.InvalidCharacter]: 'invalid character in a string',
};

/** "3:5": 1-based line and column of an offset. */
export function lineColumn(lines: LineIndex, offset: number): string {
  const p = lines.position(offset);
  return `${p.line + 1}:${p.character + 1}`;
}

/** Keys JSON would take without a word: a key repeated in one object, and `__proto__`. Reported at the key. */
function keyProblems(tree: JsonNode, lines: LineIndex): JsonProblem[] {
  const out: JsonProblem[] = [];
  const visit = (node: JsonNode, path: (string | number)[]) => {
    if (node.type === 'object') {
      const seen = new Map<string, JsonNode>();
      for (const prop of node.children ?? []) {
        const [k, v] = prop.children ?? [];
        if (!k) continue;
        const key = String(k.value);
        const at = { start: k.offset, end: k.offset + k.length, path: [...path, key] };
        if (key === '__proto__') out.push({ message: 'pgdba.json: "__proto__" is not allowed as a key; it is ignored.', ...at });
        const first = seen.get(key);
        if (first) out.push({ message: `pgdba.json: duplicate key "${key}" (first at ${lineColumn(lines, first.offset)}); this later one is used.`, ...at });
        else seen.set(key, k);
        if (v) visit(v, [...path, key]);
      }
    } else if (node.type === 'array') {
      (node.children ?? []).forEach((c, i) => visit(c, [...path, i]));
    }
  };
  visit(tree, []);
  return out;
}

/** Parses pgdba.json text; offsets in the tree and the problems are offsets into `text` as given (BOM included). */
export function parseConfigJson(text: string): { tree: JsonNode | undefined; problems: JsonProblem[] } {
  // A BOM (Windows editors write one) becomes a space: same length, so every offset still points into the original text.
  const body = text.charCodeAt(0) === 0xfeff ? ` ${text.slice(1)}` : text;
  const errors: ParseError[] = [];
  const tree = parseTree(body, errors, { allowTrailingComma: true, disallowComments: false });
  const lines = new LineIndex(text);
  const problems: JsonProblem[] = errors.map((e) => ({
    message: `pgdba.json: ${EXPECTED[e.error] ?? 'invalid JSON'} at ${lineColumn(lines, e.offset)}`,
    start: e.offset,
    end: e.offset + Math.max(1, e.length),
    path: [],
  }));
  if (tree) problems.push(...keyProblems(tree, lines));
  return { tree, problems };
}
