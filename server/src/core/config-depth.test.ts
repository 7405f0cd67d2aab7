// A pgdba.json nested past any real configuration: one problem at that key, the rest of the file still applies.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { blankDeepValues } from './config-depth';
import { loadConfigText } from './config';

describe('deeply nested pgdba.json', () => {
  test('100,000 nested arrays under "rules": reported at "rules", the other keys apply (was a stack overflow)', () => {
    const text = `{\n  "tenant": { "columns": ["org_id"] },\n  "rules": ${'['.repeat(100_000)}${']'.repeat(100_000)},\n  "postgres": { "version": 14 }\n}\n`;
    const loaded = loadConfigText(text);
    assert.deepEqual(
      loaded.problems.map((p) => [p.message, text.slice(p.start, p.end)]),
      [['pgdba.json: "rules" is nested too deeply to read (over 64 levels); the default is used instead.', '"rules"']],
    );
    assert.deepEqual([loaded.config.tenant.columns, loaded.config.postgres.version], [['org_id'], 14]);
  });

  test('nested objects, unclosed at the end of the file: reported, and the defaults used', () => {
    const text = `{ "tenant": ${'{"a": '.repeat(5000)}`;
    const loaded = loadConfigText(text);
    assert.match(loaded.problems[0].message, /"tenant" is nested too deeply/);
    assert.deepEqual(loaded.config.tenant.columns, loadConfigText('{}').config.tenant.columns);
  });

  test('a whole file nested too deeply is one problem at its start', () => {
    const loaded = loadConfigText('['.repeat(10_000));
    assert.deepEqual(
      loaded.problems.map((p) => [p.message, p.start]),
      [['pgdba.json: the file is nested too deeply to read (over 64 levels); the default is used instead.', 0]],
    );
  });

  test('values within the limit are untouched, and blanking keeps every offset and line', () => {
    const ok = `{ "rules": { "a": ${'['.repeat(60)}${']'.repeat(60)} } }`;
    assert.deepEqual(blankDeepValues(ok), { text: ok, deep: [] });
    const deep = `{ "x": ${'[\n'.repeat(70)}${']'.repeat(70)},\n "y": 1 }`;
    const out = blankDeepValues(deep).text;
    assert.equal(out.length, deep.length);
    assert.equal(out.split('\n').length, deep.split('\n').length);
    assert.deepEqual(JSON.parse(out), { x: 0, y: 1 });
  });
});
