// Tests for sqitch: plan order, deploy/revert/verify mapping and reworked changes.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { discoverLayout } from './discover';
import { memoryWorkspaceFiles } from './memory-files';
import { parsePlan } from './sqitch';

const plan = `%syntax-version=1.0.0
%project=flipr

# the schema first
appschema 2013-12-30T23:19:09Z Marge <m@example.com> # Add schema.
users [appschema] 2013-12-31T00:26:59Z Marge <m@example.com> # Users.
@v1.0 2013-12-31T00:30:00Z Marge <m@example.com> # Tag v1.0.
+flips [users] 2014-01-01T00:00:00Z Marge <m@example.com>
@v1.1 2014-01-02T00:00:00Z Marge <m@example.com>
users [users@v1.0] 2014-01-03T00:00:00Z Marge <m@example.com> # Reworked users.
`;

describe('sqitch', () => {
  test('parsePlan keeps changes in order with the tags after them', () => {
    assert.deepEqual(parsePlan(plan), [
      { name: 'appschema', tags: [] },
      { name: 'users', tags: ['v1.0'] },
      { name: 'flips', tags: ['v1.1'] },
      { name: 'users', tags: [] },
    ]);
  });

  const tree = {
    'db/sqitch.conf': '',
    'db/sqitch.plan': plan,
    'db/deploy/appschema.sql': '',
    'db/revert/appschema.sql': '',
    'db/verify/appschema.sql': '',
    'db/deploy/flips.sql': '',
    'db/revert/flips.sql': '',
    'db/deploy/users.sql': '',
    'db/revert/users.sql': '',
    'db/verify/users.sql': '',
    'db/deploy/users@v1.0.sql': '',
    'db/revert/users@v1.0.sql': '',
    'db/deploy/unplanned.sql': '',
  };

  test('orders changes by the plan and maps deploy/revert/verify', () => {
    const l = discoverLayout(memoryWorkspaceFiles(tree));
    assert.deepEqual(l.roots, [{ path: 'db', layout: 'sqitch' }]);
    assert.deepEqual(
      l.migrations.map((m) => [m.version, m.up.path, m.down?.path, m.verify?.path]),
      [
        ['1', 'db/deploy/appschema.sql', 'db/revert/appschema.sql', 'db/verify/appschema.sql'],
        ['2', 'db/deploy/users@v1.0.sql', 'db/revert/users@v1.0.sql', undefined],
        ['3', 'db/deploy/flips.sql', 'db/revert/flips.sql', undefined],
        ['4', 'db/deploy/users.sql', 'db/revert/users.sql', 'db/verify/users.sql'],
      ],
    );
    assert.ok(l.migrations.every((m) => m.transaction === 'none' && m.downExpected));
    assert.deepEqual(l.plain, ['db/deploy/unplanned.sql']);
  });

  test('a reworked change takes the first tag between its instances whose script exists', () => {
    const t = { ...tree } as Record<string, string>;
    delete t['db/deploy/users@v1.0.sql'];
    t['db/deploy/users@v1.1.sql'] = '';
    const l = discoverLayout(memoryWorkspaceFiles(t));
    assert.equal(l.migrations[1].up.path, 'db/deploy/users@v1.1.sql');
  });

  test('a plan entry without its deploy script is a problem, not a crash', () => {
    const t = { ...tree } as Record<string, string>;
    delete t['db/deploy/flips.sql'];
    const l = discoverLayout(memoryWorkspaceFiles(t));
    assert.equal(l.migrations.length, 3);
    assert.ok(l.problems.some((p) => p.path === 'db/sqitch.plan' && /flips/.test(p.message)));
    assert.ok(l.plain.includes('db/revert/flips.sql'));
  });
});
