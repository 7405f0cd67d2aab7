import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { configJsonSchema, defaultConfig, loadConfigText } from './config';

describe('config', () => {
  test('defaults', () => {
    const c = defaultConfig();
    assert.deepEqual(c.tenant.columns, ['tenant_id']);
    assert.equal(c.tenant.checkMigrations, false);
    assert.equal(c.postgres.version, 15);
  });

  test('a valid file applies, comments and trailing commas allowed', () => {
    const { config, problems } = loadConfigText('{\n  // ours\n  "tenant": { "columns": ["org_id"], },\n  "rules": { "unbounded-select": "off" }\n}');
    assert.deepEqual(problems, []);
    assert.deepEqual(config.tenant.columns, ['org_id']);
    assert.equal(config.rules['unbounded-select'], 'off');
  });

  test('an unknown key is reported at the key and the rest still applies', () => {
    const text = '{ "tenant": { "colums": ["org_id"] }, "postgres": { "version": 16 } }';
    const { config, problems } = loadConfigText(text);
    assert.equal(problems.length, 1);
    assert.match(problems[0].message, /unknown key "tenant\.colums"/);
    assert.equal(text.slice(problems[0].start, problems[0].end), '"colums"');
    assert.deepEqual(config.tenant.columns, ['tenant_id']);
    assert.equal(config.postgres.version, 16);
  });

  test('a wrong type falls back to the default for that key only, never coerced', () => {
    const text = '{ "postgres": { "version": "16" }, "tenant": { "checkMigrations": true } }';
    const { config, problems } = loadConfigText(text);
    assert.equal(problems.length, 1);
    assert.deepEqual(problems[0].path, ['postgres', 'version']);
    assert.equal(text.slice(problems[0].start, problems[0].end), '"version"');
    assert.equal(config.postgres.version, 15);
    assert.equal(config.tenant.checkMigrations, true);
  });

  test('broken JSON gives a positioned problem and the defaults', () => {
    const { config, problems } = loadConfigText('{ "tenant": { "columns": [ }');
    assert.ok(problems.length > 0);
    assert.ok(problems[0].start > 0);
    assert.deepEqual(config, defaultConfig());
  });

  test('a bad rule level is reported', () => {
    const { problems } = loadConfigText('{ "rules": { "unbounded-select": "loud" } }');
    assert.equal(problems.length, 1);
    assert.deepEqual(problems[0].path, ['rules', 'unbounded-select']);
  });

  test('an unknown rule id under "rules" is reported when the rule list is given', () => {
    const text = '{ "rules": { "unbounded-selct": "off" } }';
    const { problems, config } = loadConfigText(text, new Set(['unbounded-select']));
    assert.equal(problems.length, 1);
    assert.equal(text.slice(problems[0].start, problems[0].end), '"unbounded-selct"');
    assert.deepEqual(config.rules, {});
  });

  test('the JSON schema for pgdba.json is generated from the same zod schema', () => {
    const schema = configJsonSchema() as { properties: Record<string, unknown>; additionalProperties?: boolean };
    assert.ok(schema.properties.tenant && schema.properties.rules && schema.properties.postgres);
    assert.equal(schema.additionalProperties, false);
  });
});

describe('pgdba.json text details', () => {
  test('a file starting with a byte-order mark is read like one without', () => {
    const { config, problems } = loadConfigText('\uFEFF{ "postgres": { "version": 14 } }');
    assert.deepEqual(problems, []);
    assert.equal(config.postgres.version, 14);
  });

  test('a parse error reads as what was expected, at line:column', () => {
    const text = '{\n  "tenant": {\n    "columns": ["tenant_id"]\n  \n';
    const { problems } = loadConfigText(text);
    assert.equal(problems[0].message, "pgdba.json: expected '}' at 5:1");
    assert.doesNotMatch(problems.map((p) => p.message).join('\n'), /CloseBraceExpected|ValueExpected/);
    const colon = loadConfigText('{\n  "postgres" { }\n}');
    assert.equal(colon.problems[0].message, "pgdba.json: expected ':' at 2:14");
  });

  test('a duplicate key is reported at the later key, naming the first', () => {
    const text = '{\n  "postgres": { "version": 14 },\n  "postgres": { "version": 16 }\n}';
    const { config, problems } = loadConfigText(text);
    assert.equal(problems.length, 1);
    assert.equal(problems[0].message, 'pgdba.json: duplicate key "postgres" (first at 2:3); this later one is used.');
    assert.equal(problems[0].start, text.lastIndexOf('"postgres"'));
    assert.deepEqual(problems[0].path, ['postgres']);
    assert.equal(config.postgres.version, 16);
  });

  test('a __proto__ key is rejected at the key and changes nothing', () => {
    const text = '{ "__proto__": { "exclude": ["everything/"] }, "tenant": { "__proto__": { "checkMigrations": true } } }';
    const { config, problems } = loadConfigText(text);
    assert.equal(problems.length, 2, JSON.stringify(problems));
    assert.ok(problems.every((p) => /"__proto__" is not allowed/.test(p.message)));
    assert.equal(problems[0].start, text.indexOf('"__proto__"'));
    assert.deepEqual(config.exclude, defaultConfig().exclude);
    assert.equal(config.tenant.checkMigrations, defaultConfig().tenant.checkMigrations);
  });
});

test('pgdba.json: one bad element in a list resets that key alone, reported at the element', () => {
  const text = '{ "tenant": { "columns": ["org_id", 5] }, "postgres": { "version": 16 } }';
  const { config, problems } = loadConfigText(text);
  assert.equal(problems.length, 1);
  assert.deepEqual(problems[0].path, ['tenant', 'columns', 1]);
  assert.equal(text.slice(problems[0].start, problems[0].end), '5');
  assert.deepEqual(config.tenant.columns, defaultConfig().tenant.columns);
  assert.equal(config.postgres.version, 16);
});
