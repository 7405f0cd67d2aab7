// Fuzz inputs: the corpus files (read at run time from ../shared/corpus, never copied here), mutated by fast-check-driven edits.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { PIECES, sqlText } from '../../server/src/testing/edits';

/** ../shared/corpus beside the repository, as on CI; PGDBA_FUZZ_CORPUS points elsewhere. */
export const CORPUS = process.env.PGDBA_FUZZ_CORPUS ?? join(__dirname, '..', '..', '..', 'shared', 'corpus');

/** The corpus's SQL files as paths relative to it; on CI a missing corpus is an error, elsewhere `undefined`. */
export function corpusFiles(): string[] | undefined {
  if (!existsSync(CORPUS)) {
    if (process.env.CI && process.env.CI !== 'false') throw new Error(`the fuzz corpus is missing: ${CORPUS} (CI must provide ../shared/corpus)`);
    return undefined;
  }
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.sql')) out.push(relative(CORPUS, p));
    }
  };
  walk(CORPUS);
  return out;
}

const texts = new Map<string, string>();
export function corpusText(file: string): string {
  let t = texts.get(file);
  if (t === undefined) {
    t = readFileSync(join(CORPUS, file), 'utf8');
    texts.set(file, t);
  }
  return t;
}

/** One mutation; positions are fractions of the text so that shrinking keeps them meaningful. */
export type Mutation =
  | { op: 'delete' | 'duplicate'; at: number; length: number }
  | { op: 'insert'; at: number; text: string }
  | { op: 'splice'; at: number; from: string; fromAt: number; length: number }
  | { op: 'line-ends'; ends: '\r\n' | '\r' }
  | { op: 'truncate'; at: number }
  | { op: 'nest'; at: number; depth: number }
  | { op: 'long-identifier'; at: number; length: number; quoted: boolean };

const at = fc.integer({ min: 0, max: 10_000 }).map((n) => n / 10_000);

export function mutation(files: string[]): fc.Arbitrary<Mutation> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.record({ op: fc.constantFrom('delete' as const, 'duplicate' as const), at, length: fc.integer({ min: 1, max: 400 }) }) },
    {
      weight: 6,
      arbitrary: fc.record({
        op: fc.constant('insert' as const),
        at,
        text: fc.oneof(sqlText(4), fc.constantFrom(...PIECES), fc.string({ unit: 'binary', maxLength: 8 })),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({ op: fc.constant('splice' as const), at, from: fc.constantFrom(...files), fromAt: at, length: fc.integer({ min: 1, max: 2000 }) }),
    },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('line-ends' as const), ends: fc.constantFrom('\r\n' as const, '\r' as const) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('truncate' as const), at }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('nest' as const), at, depth: fc.integer({ min: 1, max: 1200 }) }) },
    {
      weight: 1,
      arbitrary: fc.record({ op: fc.constant('long-identifier' as const), at, length: fc.integer({ min: 60, max: 20_000 }), quoted: fc.boolean() }),
    },
  );
}

export function mutate(text: string, m: Mutation): string {
  const p = 'at' in m ? Math.floor(m.at * text.length) : 0;
  switch (m.op) {
    case 'delete':
      return text.slice(0, p) + text.slice(p + m.length);
    case 'duplicate':
      return text.slice(0, p + m.length) + text.slice(p, p + m.length) + text.slice(p + m.length);
    case 'insert':
      return text.slice(0, p) + m.text + text.slice(p);
    case 'splice': {
      const other = corpusText(m.from);
      const from = Math.floor(m.fromAt * other.length);
      return text.slice(0, p) + other.slice(from, from + m.length) + text.slice(p);
    }
    case 'line-ends':
      return text.replace(/\r?\n/g, m.ends);
    case 'truncate':
      return text.slice(0, p);
    case 'nest':
      return `${text.slice(0, p)}select ${'('.repeat(m.depth)}select 1${') x'.repeat(m.depth)};\n${text.slice(p)}`;
    case 'long-identifier': {
      const name = 'n'.repeat(m.length);
      return `${text.slice(0, p)}create table ${m.quoted ? `"${name}"` : name} (id int);\n${text.slice(p)}`;
    }
  }
}

export interface FileInput {
  /** Path of the original in the corpus (its layout decides the file's role). */
  path: string;
  text: string;
  mutations: Mutation[];
}

export function mutatedCorpusFile(files: string[]): fc.Arbitrary<FileInput> {
  return fc
    .record({ path: fc.constantFrom(...files), mutations: fc.array(mutation(files), { minLength: 1, maxLength: 6 }) })
    .map(({ path, mutations }) => ({ path, mutations, text: mutations.reduce(mutate, corpusText(path)) }));
}

/** A pgdba.json: random JSON (sometimes nested very deeply) or a valid config with a few keys broken. */
export function configText(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.json({ maxDepth: 4 }),
    fc.integer({ min: 50, max: 20_000 }).map((n) => `{ "rules": ${'['.repeat(n)}${']'.repeat(n)}, "tenant": { "columns": ["tenant_id"] } }`),
    fc
      .record({ columns: fc.array(fc.string(), { maxLength: 3 }), version: fc.oneof(fc.integer(), fc.string()), level: fc.string() })
      .map(
        (c) =>
          `// config\n{ "tenant": { "columns": ${JSON.stringify(c.columns)} }, "postgres": { "version": ${JSON.stringify(c.version)} }, "rules": { "unbounded-select": ${JSON.stringify(c.level)} }, }`,
      ),
  );
}
