// Tests for the `projects` key of pgdba.json: valid projects apply, overlapping ones are config errors at the key.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfigText } from './config';

describe('config projects', () => {
  test('projects apply with their defaults', () => {
    const { config, problems } = loadConfigText(
      '{ "projects": [{ "name": "api", "migrations": "services/api/migrations", "queries": ["services/api/**/*.sql"] }] }',
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(config.projects, [{ name: 'api', migrations: 'services/api/migrations', schema: [], queries: ['services/api/**/*.sql'] }]);
  });

  test('a project whose migrations folder overlaps another is an error at its key, and only that project is dropped', () => {
    const text = `{ "projects": [
      { "name": "api", "migrations": "services/api/migrations" },
      { "name": "web", "migrations": "services/web/migrations" },
      { "name": "inner", "migrations": "./services/api/migrations/v2/" }
    ] }`;
    const { config, problems } = loadConfigText(text);
    assert.equal(problems.length, 1, JSON.stringify(problems));
    assert.deepEqual(problems[0].path, ['projects', 2, 'migrations']);
    assert.equal(text.slice(problems[0].start, problems[0].end), '"migrations"');
    assert.match(problems[0].message, /overlaps the migrations of project "api"/);
    assert.deepEqual(
      config.projects.map((p) => p.name),
      ['api', 'web'],
    );
  });

  test('a shared name, schema file or query pattern is an overlap too', () => {
    const text = `{ "projects": [
      { "name": "a", "migrations": "a/migrations", "schema": ["db/schema.sql"], "queries": ["**/*.sql"] },
      { "name": "a", "migrations": "b/migrations" },
      { "name": "c", "migrations": "c/migrations", "schema": ["db/schema.sql"] },
      { "name": "d", "migrations": "d/migrations", "queries": ["**/*.sql"] },
      { "name": "e", "schema": ["a/migrations/1_x.sql"] }
    ] }`;
    const { config, problems } = loadConfigText(text);
    assert.deepEqual(
      problems.map((p) => [p.path, text.slice(p.start, p.end)]),
      [
        [['projects', 1, 'name'], '"name"'],
        [['projects', 2, 'schema', 0], '"db/schema.sql"'],
        [['projects', 3, 'queries', 0], '"**/*.sql"'],
        [['projects', 4, 'schema', 0], '"a/migrations/1_x.sql"'],
      ],
    );
    assert.deepEqual(
      config.projects.map((p) => p.name),
      ['a'],
    );
  });
});
