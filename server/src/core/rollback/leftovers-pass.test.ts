// The partial-rollback pass keeps copy-on-write catalogs between questions: any order of questions and edits must give
// what a fresh workspace gives.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { configSchema } from '../config';
import { memoryFiles, ready } from '../../testing/rule-test';
import { Workspace } from '../workspace/workspace';

before(ready);

const config = configSchema.parse({});
const workspace = (files: Record<string, string>) => new Workspace({ files: memoryFiles(files), configFor: () => config });

const dir = (n: number) => `migrations/2020-01-0${n}-000000_m${n}`;
const files: Record<string, string> = {
  [`${dir(1)}/up.sql`]: 'CREATE TABLE users (id bigint PRIMARY KEY, email text);\nCREATE INDEX users_email ON users (email);',
  [`${dir(1)}/down.sql`]: 'DROP TABLE users;',
  [`${dir(2)}/up.sql`]: 'ALTER TABLE users ADD COLUMN age int;\nCREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users);',
  [`${dir(2)}/down.sql`]: 'DROP TABLE orders;',
  [`${dir(3)}/up.sql`]: 'ALTER TABLE users RENAME COLUMN email TO mail;\nCREATE INDEX orders_user ON orders (user_id);',
  [`${dir(3)}/down.sql`]: 'ALTER TABLE users RENAME COLUMN mail TO email;',
  [`${dir(4)}/up.sql`]: 'ALTER TABLE orders ADD COLUMN total int DEFAULT 0;\nDROP INDEX users_email;',
  [`${dir(4)}/down.sql`]: 'ALTER TABLE orders DROP COLUMN total;',
  [`${dir(5)}/up.sql`]: 'ALTER TABLE users ALTER COLUMN age SET NOT NULL;',
  [`${dir(5)}/down.sql`]: 'SELECT 1;',
};
const ids = (ws: Workspace) => ws.layout().migrations.map((m) => m.id);
const fresh = (texts: Record<string, string>, id: string) => JSON.stringify(workspace(texts).leftovers(id));

describe('LeftoversCache', () => {
  test('answers equal a fresh workspace in any order of questions, before and after edits', () => {
    const ws = workspace(files);
    const all = ids(ws);
    assert.equal(all.length, 5);
    assert.ok(
      all.some((id) => (ws.leftovers(id)?.items.length ?? 0) > 0),
      'the fixture has partial rollbacks',
    );
    const texts = { ...files };
    const orders = [
      [0, 1, 2, 3, 4],
      [2, 3, 2, 4, 1, 0],
      [4, 0, 3, 1],
      [1, 2, 1, 2, 3, 4, 3],
    ];
    for (const [round, order] of orders.entries()) {
      for (const i of order) assert.equal(JSON.stringify(ws.leftovers(all[i])), fresh(texts, all[i]), `round ${round}, migration ${i + 1}`);
      // An edit between rounds: DDL in one migration's up, then in a down.
      const path = round % 2 ? `${dir(round + 1)}/down.sql` : `${dir(round + 1)}/up.sql`;
      texts[path] = `${texts[path]}\nCREATE TABLE extra_${round} (id int);`;
      ws.setOverlay(path, texts[path]);
    }
  });
});

describe('partial rollbacks per project', () => {
  test("another service's migrations are not part of the schema a migration rolls back to", () => {
    // Two golang-migrate services in one repository, each with its own users table.
    const ws = workspace({
      'billing/migrations/001_users.up.sql': 'CREATE TABLE users (id bigint PRIMARY KEY, plan text);',
      'billing/migrations/001_users.down.sql': 'DROP TABLE users;',
      'auth/migrations/001_users.up.sql': 'CREATE TABLE users (id bigint PRIMARY KEY, email text);',
      'auth/migrations/001_users.down.sql': 'DROP TABLE users;',
    });
    assert.equal(ws.projects().projects.length, 2);
    for (const id of ids(ws)) assert.deepEqual(ws.leftovers(id)?.items, [], id);
  });

  test('a down that leaves something behind is still reported inside its project', () => {
    const ws = workspace({
      'billing/migrations/001_users.up.sql': 'CREATE TABLE users (id bigint PRIMARY KEY);\nCREATE TABLE plans (id int);',
      'billing/migrations/001_users.down.sql': 'DROP TABLE users;',
      'auth/migrations/001_users.up.sql': 'CREATE TABLE plans (id int);',
      'auth/migrations/001_users.down.sql': 'DROP TABLE plans;',
    });
    const billing = ids(ws).find((id) => id.startsWith('billing/'))!;
    assert.deepEqual(
      ws.leftovers(billing)?.items.map((i) => i.object),
      ['table public.plans'],
    );
  });
});
