// Every jsonc configuration block in the README loads as pgdba.json with no problem: the documented example is a real one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfigText } from '../server/src/core/config';
import { rules } from '../server/src/core/rules';

const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/^```jsonc\n([\s\S]*?)^```$/gm)].map((m) => ({ text: m[1], line: readme.slice(0, m.index).split('\n').length }));

test('the README has jsonc configuration blocks', () => {
  assert.ok(blocks.length > 0);
});

for (const block of blocks) {
  test(`README.md:${block.line}: the jsonc block is a valid pgdba.json`, () => {
    const { problems } = loadConfigText(block.text, new Set(rules.map((r) => r.id)));
    assert.deepEqual(
      problems.map((p) => p.message),
      [],
    );
  });
}
