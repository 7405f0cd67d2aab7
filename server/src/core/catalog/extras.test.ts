import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { initParser, parseSql } from '../parse/parse';
import { applyStatement, newApplyState } from './build';
import { mentionsStar } from './expand-star';
import { catalogOf } from '../rollback/test-helpers';
import { constraintName, SchemaConstraintNames } from './extras-table';
import type { Constraint } from './types';

before(async () => {
  await initParser();
});

const names = (sql: string, table: string) => catalogOf(sql).tables.get(`public.${table}`)?.constraints.map(constraintName).filter(Boolean);

describe('catalog detail kept for rollbacks', () => {
  test('unnamed constraints get the names PostgreSQL gives them', () => {
    assert.deepEqual(
      names(
        'CREATE TABLE o (id int PRIMARY KEY); CREATE TABLE t (id int PRIMARY KEY, a int UNIQUE, b int CHECK (b > 0), o int REFERENCES o, CHECK (a < b), UNIQUE (a, b));',
        't',
      ),
      ['t_pkey', 't_a_key', 't_b_check', 't_o_fkey', 't_check', 't_a_b_key'],
    );
  });

  test('unnamed indexes too, with numbers on collisions', () => {
    const c = catalogOf('CREATE TABLE t (a int, b text); CREATE INDEX ON t (a); CREATE INDEX ON t (a); CREATE INDEX ON t (lower(b));');
    assert.deepEqual([...c.indexes.keys()], ['public.t_a_idx', 'public.t_a_idx1', 'public.t_lower_idx']);
  });

  test('DROP CONSTRAINT by a generated name, and DROP … ADD of the same name in one statement', () => {
    assert.deepEqual(names('CREATE TABLE t (a int UNIQUE); ALTER TABLE t DROP CONSTRAINT t_a_key;', 't'), []);
    assert.deepEqual(names('CREATE TABLE t (a int CONSTRAINT c CHECK (a > 0)); ALTER TABLE t DROP CONSTRAINT c, ADD CONSTRAINT c CHECK (a > 1);', 't'), ['c']);
  });

  test('DROP COLUMN takes the indexes and constraints that involve it', () => {
    const c = catalogOf('CREATE TABLE t (a int, b int, CHECK (a < b)); CREATE INDEX t_ab ON t (a, b); CREATE INDEX t_b ON t (b); ALTER TABLE t DROP COLUMN a;');
    assert.deepEqual(c.tables.get('public.t')?.constraints.length, 0);
    assert.deepEqual([...c.indexes.keys()], ['public.t_b']);
  });

  test('a column rename carries into constraints, indexes, referencing foreign keys and views', () => {
    const c = catalogOf(
      'CREATE TABLE u (id int PRIMARY KEY, email text UNIQUE); CREATE TABLE p (u int REFERENCES u (id)); CREATE INDEX u_e ON u (lower(email)); CREATE VIEW v AS SELECT email FROM u; ALTER TABLE u RENAME COLUMN email TO mail; ALTER TABLE u RENAME COLUMN id TO uid;',
    );
    const u = c.tables.get('public.u');
    assert.deepEqual(
      u?.constraints.map((k) => k.columns),
      [['uid'], ['mail']],
    );
    assert.deepEqual(c.tables.get('public.p')?.constraints[0].references, { table: 'public.u', columns: ['uid'] });
    assert.match(JSON.stringify(c.indexes.get('public.u_e')?.node), /"mail"/);
    // PostgreSQL keeps the view's column name: SELECT mail AS email.
    assert.match(JSON.stringify(c.tables.get('public.v')?.node), /"sval":"mail".*"name":"email"/);
  });

  test('generated names see names given earlier in the same statement and names freed by renames and drops', () => {
    assert.deepEqual(names('CREATE TABLE t (a int, CHECK (a > 0), CHECK (a < 10), UNIQUE (a), UNIQUE (a));', 't'), [
      't_a_check',
      't_a_check1',
      't_a_key',
      't_a_key1',
    ]);
    assert.deepEqual(names('CREATE TABLE t (a int UNIQUE); ALTER TABLE t RENAME CONSTRAINT t_a_key TO x; ALTER TABLE t ADD UNIQUE (a);', 't'), [
      'x',
      't_a_key',
    ]);
    assert.deepEqual(names('CREATE TABLE t (a int CHECK (a > 0)); ALTER TABLE t DROP CONSTRAINT t_a_check; ALTER TABLE t ADD CHECK (a > 1);', 't'), [
      't_a_check',
    ]);
    // Constraint names are per schema: another table's constraint of that name takes it (ChooseConstraintName).
    assert.deepEqual(names('CREATE TABLE u (a int, CONSTRAINT t_a_check CHECK (a > 0)); CREATE TABLE t (a int CHECK (a > 0));', 't'), ['t_a_check1']);
    assert.deepEqual(names('CREATE SCHEMA s; CREATE TABLE s.u (a int, CONSTRAINT t_a_check CHECK (a > 0)); CREATE TABLE t (a int CHECK (a > 0));', 't'), [
      't_a_check',
    ]);
  });

  test('the schema constraint names answer alike for names with and without their prefix, and see names added', () => {
    const c = catalogOf(
      'CREATE TABLE t (a int UNIQUE, b int CHECK (b > 0)); CREATE TABLE other (x int CONSTRAINT other_x_key UNIQUE, CONSTRAINT t_z_check CHECK (x > 0)); CREATE SCHEMA s; CREATE TABLE s.t (c int UNIQUE);',
    );
    for (const relname of ['t', 'other', '']) {
      const names = new SchemaConstraintNames(c, 'public', relname);
      assert.equal(names.relationTaken('t_a_key'), true, 'a unique constraint has an index of its name');
      assert.equal(names.relationTaken('t_b_check'), false, 'a check has no index');
      assert.equal(names.constraintTaken('t_b_check'), true);
      assert.equal(names.constraintTaken('t_z_check'), true, "another table's constraint");
      assert.equal(names.relationTaken('other_x_key'), true);
      assert.equal(names.relationTaken('t_c_key'), false, 'another schema');
      assert.equal(names.constraintTaken('t_nope'), false);
      const added: Constraint = { type: 'unique', columns: ['b'], notValid: false, node: { contype: 'CONSTR_UNIQUE' }, loc: { file: '', start: 0, end: 0 } };
      added.pgName = `t_b_key_${relname}`;
      c.tables.get('public.t')!.constraints.push(added);
      names.add(added, added.pgName);
      assert.equal(names.relationTaken(`t_b_key_${relname}`), true, 'a name given during the naming step');
    }
  });

  test('DROP COLUMN and DROP … CASCADE follow what renames made of stored definitions', () => {
    const renamed = catalogOf('CREATE TABLE t (a int, b int); CREATE INDEX i ON t ((a + b)); ALTER TABLE t RENAME COLUMN a TO c; ALTER TABLE t DROP COLUMN c;');
    assert.deepEqual([...renamed.indexes.keys()], []);
    const reused = catalogOf(
      'CREATE TABLE t (a int, b int); CREATE INDEX i ON t ((a + b)); ALTER TABLE t RENAME COLUMN a TO c; ALTER TABLE t ADD COLUMN a int; ALTER TABLE t DROP COLUMN a;',
    );
    assert.deepEqual([...reused.indexes.keys()], ['public.i']);
    const twice = catalogOf('CREATE TABLE t (a int); CREATE INDEX i ON t ((a + 1)); ALTER TABLE t RENAME COLUMN a TO b; ALTER TABLE t RENAME COLUMN b TO c;');
    assert.match(JSON.stringify(twice.indexes.get('public.i')?.node), /"sval":"c"/);
    const views = catalogOf('CREATE TABLE t (a int); CREATE VIEW v AS SELECT a FROM t; ALTER TABLE t RENAME TO u; DROP TABLE u CASCADE;');
    assert.equal(views.tables.has('public.v'), false);
  });

  test("a view statement applied to two catalogs expands its star with each one's columns", () => {
    // One parsed statement applied to several catalogs: the references in the stored view, as text.
    const applied = (sql: string, view: string) => {
      const stmt = parseSql(sql).statements[0];
      return (setup: string) => {
        const c = catalogOf(setup);
        applyStatement(c, stmt, newApplyState('v.sql'));
        return JSON.stringify(c.tables.get(`public.${view}`)?.node).match(/"sval":"\w+"/g);
      };
    };
    const columns = applied('CREATE VIEW v AS SELECT * FROM t;', 'v');
    assert.deepEqual(columns('CREATE TABLE t (a int);'), ['"sval":"t"', '"sval":"a"']);
    assert.deepEqual(columns('CREATE TABLE t (b int, c int);'), ['"sval":"t"', '"sval":"b"', '"sval":"t"', '"sval":"c"']);
    assert.deepEqual(columns('CREATE TABLE t (b int, c int);'), ['"sval":"t"', '"sval":"b"', '"sval":"t"', '"sval":"c"']);
    assert.deepEqual(columns('CREATE TABLE t (b int, c int); ALTER TABLE t RENAME COLUMN c TO d;'), ['"sval":"t"', '"sval":"b"', '"sval":"t"', '"sval":"d"']);
    assert.deepEqual(columns('CREATE TABLE t (a int);'), ['"sval":"t"', '"sval":"a"']);
    // A view over a view: the inner view's columns are looked up too.
    const viaView = applied('CREATE VIEW w AS SELECT * FROM v;', 'w');
    assert.deepEqual(viaView('CREATE TABLE t (a int, b int); CREATE VIEW v AS SELECT a FROM t;'), ['"sval":"v"', '"sval":"a"']);
    assert.deepEqual(viaView('CREATE TABLE t (a int, b int); CREATE VIEW v AS SELECT b FROM t;'), ['"sval":"v"', '"sval":"b"']);
  });

  test('stars are expanded through CTEs, FROM subqueries and set operations, and left where nothing stands for them', () => {
    // Each view's stored column references and stars, in order (the expansion first asks whether anything may change,
    // then expands a copy).
    const stored = (view: string) => {
      const c = catalogOf(`CREATE TABLE t (a int, b int); CREATE TABLE u (c int); ${view}`);
      return JSON.stringify(c.tables.get('public.v')?.node)
        .match(/"sval":"\w+"|A_Star/g)
        ?.map((m) => m.replace(/"sval":"(\w+)"/, '$1'));
    };
    // s.a, s.b over t.a, t.b.
    assert.deepEqual(stored('CREATE VIEW v AS SELECT * FROM (SELECT * FROM t) s;'), ['s', 'a', 's', 'b', 't', 'a', 't', 'b']);
    assert.deepEqual(stored('CREATE VIEW v AS WITH x AS (SELECT * FROM t) SELECT * FROM x;'), ['x', 'a', 'x', 'b', 't', 'a', 't', 'b']);
    // Only the CTE has a star: it is expanded.
    assert.deepEqual(stored('CREATE VIEW v AS WITH x AS (SELECT * FROM t) SELECT a FROM x;'), ['a', 't', 'a', 't', 'b']);
    assert.deepEqual(stored('CREATE VIEW v AS SELECT * FROM t UNION ALL SELECT c, c FROM u;'), ['t', 'a', 't', 'b', 'c', 'c']);
    // Stars this does not expand stay as written: in a subquery of WHERE, over a relation it does not know, and in a
    // FROM subquery whose outer query names its columns.
    assert.deepEqual(stored('CREATE VIEW v AS SELECT a FROM t WHERE b IN (SELECT * FROM u);'), ['a', 'b', 'A_Star']);
    assert.deepEqual(stored('CREATE VIEW v AS SELECT * FROM nowhere;'), ['A_Star']);
    assert.deepEqual(stored('CREATE VIEW v AS SELECT a FROM (SELECT * FROM t) s;'), ['a', 'A_Star']);
  });

  test('the star test says what a search of the JSON text for "A_Star" says', () => {
    const sql = [
      'CREATE VIEW v AS SELECT * FROM t',
      'CREATE VIEW v AS SELECT t.* FROM t',
      "CREATE VIEW v AS SELECT 'A_Star' AS a, 'x\"A_Star' AS b FROM t",
      "CREATE VIEW v AS SELECT 'A_Star\"' AS a, '\"A_Star\"' AS b FROM t",
      'CREATE VIEW v AS SELECT "*" FROM t',
      'CREATE VIEW v AS SELECT a FROM t WHERE b IN (SELECT * FROM u)',
    ];
    const nodes: unknown[] = sql.map((q) => parseSql(q).statements[0].node);
    nodes.push({ A_Star: undefined, x: 'A_Star"' }, ['A_Star', undefined], { k: [null, 1, true, { 'x"A_Star': 1 }] }, 'A_Star', 3, null);
    for (const n of nodes) assert.equal(mentionsStar(n), JSON.stringify(n).includes('"A_Star"'), JSON.stringify(n));
  });

  test('a table rename leaves its serial sequence name alone', () => {
    const c = catalogOf('CREATE TABLE user_ (id serial); ALTER TABLE user_ RENAME TO person;');
    assert.equal(c.tables.get('public.person')?.columns.get('id')?.serialSequence, 'public.user__id_seq');
    assert.deepEqual(c.sequences?.get('public.user__id_seq')?.ownedBy, { table: 'public.person', column: 'id' });
  });

  test('triggers, policies, comments, sequences and types are kept, renamed and dropped', () => {
    const c = catalogOf(`
      CREATE TABLE t (id int);
      CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f();
      ALTER TRIGGER tr ON t RENAME TO tr2;
      CREATE POLICY p ON t USING (true); ALTER POLICY p ON t USING (false); DROP POLICY p ON t;
      COMMENT ON TABLE t IS 'things'; COMMENT ON COLUMN t.id IS 'key';
      CREATE SEQUENCE s INCREMENT 5; ALTER SEQUENCE s OWNED BY t.id;
      CREATE TYPE e AS ENUM ('a', 'b'); ALTER TYPE e RENAME VALUE 'a' TO 'z';
      CREATE DOMAIN d AS int; DROP DOMAIN d;`);
    const t = c.tables.get('public.t');
    assert.deepEqual(
      t?.triggers?.map((x) => x.name),
      ['tr2'],
    );
    assert.deepEqual(t?.policies, []);
    assert.equal(t?.comment, 'things');
    assert.equal(t?.columns.get('id')?.comment, 'key');
    assert.deepEqual(c.sequences?.get('public.s')?.ownedBy, { table: 'public.t', column: 'id' });
    assert.deepEqual(c.enums.get('public.e')?.values, ['z', 'b']);
    assert.equal(c.types?.has('public.d'), false);
  });

  test('types and defaults written alike deparse alike, wherever they are; ones that differ in any part deparse apart', () => {
    const c = catalogOf(
      `CREATE TABLE t (a varchar(10) DEFAULT 'x', b varchar(20) DEFAULT 'y', c varchar(10) DEFAULT 'x', d numeric(10, 2)[] DEFAULT 1, e numeric(10, 3)[] DEFAULT 2, g "Mood" DEFAULT 'x'::"Mood");
       ALTER TABLE t ADD COLUMN f varchar(20) DEFAULT 'y', ADD COLUMN h mood DEFAULT 'x'::mood;`,
    );
    assert.deepEqual(
      [...c.tables.get('public.t')!.columns.values()].map((x) => [x.name, x.typeSql, x.default]),
      [
        ['a', 'varchar(10)', "'x'"],
        ['b', 'varchar(20)', "'y'"],
        ['c', 'varchar(10)', "'x'"],
        ['d', 'numeric(10, 2)[]', '1'],
        ['e', 'numeric(10, 3)[]', '2'],
        ['g', '"Mood"', `CAST('x' AS "Mood")`],
        ['f', 'varchar(20)', "'y'"],
        ['h', 'mood', "CAST('x' AS mood)"],
      ],
    );
    // Texts that look like the offsets the memo leaves out are still told apart.
    const quoted = catalogOf(`CREATE TABLE q (a text DEFAULT '"location":1', b text DEFAULT '"location":2', c text DEFAULT 'location')`);
    assert.deepEqual(
      [...quoted.tables.get('public.q')!.columns.values()].map((x) => x.default),
      [`'"location":1'`, `'"location":2'`, "'location'"],
    );
  });
});
