// The unknown-* rules on real migrations: each DML statement of ../shared/corpus, checked against the catalog just before it,
// was accepted by PostgreSQL when the project ran it, so a finding is a false "unknown" unless it is listed here with why.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { initParser } from '../../server/src/core/parse/parse';
import { unknownOnCorpus } from '../../bench/unknown-corpus';

const corpus = resolve(__dirname, '../../../shared/corpus');
const skip = existsSync(corpus) || process.env.CI ? false : 'needs ../shared/corpus';

/** project:kind:name → why the finding is right for the project as the folder has it. */
const EXPECTED: Record<string, string> = {
  'ory+keto:relation:networks': "keto's networks table is created by another migrations folder (popx) that this project does not hold",
};

describe('unknown-* rules on the corpus', { skip }, () => {
  test('no false unknowns on DML the projects ran', async () => {
    assert.ok(existsSync(corpus), `${corpus} is missing: the corpus is required under CI`);
    await initParser();
    const results = unknownOnCorpus(corpus);
    assert.ok(results.reduce((n, r) => n + r.dml, 0) > 500, 'the corpus has its DML statements');
    const found = results.flatMap((r) => r.findings.map((f) => `${r.project}:${f.kind}:${f.name}`));
    assert.deepEqual([...new Set(found)].sort(), Object.keys(EXPECTED).sort(), found.join('\n'));
  });
});
