// Renames of stored definitions are kept by node and arguments, and what is derived from a node carries over to its renamed copy.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { initParser, parseSql } from '../parse/parse';
import { catalogOf } from '../rollback/test-helpers';
import { applyStatement, newApplyState } from './build';
import { cloneNode, relationsIn, renameColumnIn, renameColumnInQuery, renameReferencedColumn, renameRelationIn } from './rewrite';
import type { Catalog } from './types';

before(async () => {
  await initParser();
});

const viewNode = (c: Catalog, name: string) => c.tables.get(`public.${name}`)?.node;
const text = (node: unknown) => JSON.stringify(node);

describe('renames of stored definitions', () => {
  test('the same rename of the same node gives the same copy; other arguments give their own', () => {
    const view = parseSql('CREATE VIEW v AS SELECT a, t.a AS b FROM t JOIN u ON u.x = t.a').statements[0].node;
    const once = renameColumnInQuery(view, ['t'], 'a', 'c');
    assert.notEqual(once, view);
    assert.equal(renameColumnInQuery(view, ['t'], 'a', 'c'), once);
    const other = renameColumnInQuery(view, ['t'], 'a', 'd');
    assert.match(text(other), /"sval":"d"/);
    assert.doesNotMatch(text(other), /"sval":"c"/);
    // Qualifiers are part of the arguments: a rename of u's column leaves t.a alone.
    assert.match(text(renameColumnInQuery(view, ['u'], 'a', 'c')), /"sval":"t"}},{"String":{"sval":"a"/);
    assert.equal(renameColumnIn(view, 'zzz', 'y'), view, 'a node without the name is returned as it is');
    const index = parseSql('CREATE INDEX i ON t (a, lower(b))').statements[0].node;
    assert.equal(renameColumnIn(index, 'b', 'c'), renameColumnIn(index, 'b', 'c'));
    assert.notEqual(renameColumnIn(index, 'b', 'c'), renameColumnIn(index, 'b', 'd'));
    const fk = (
      parseSql('ALTER TABLE p ADD FOREIGN KEY (x) REFERENCES t (a)').statements[0].node as {
        AlterTableStmt: { cmds: { AlterTableCmd: { def: { Constraint: unknown } } }[] };
      }
    ).AlterTableStmt.cmds[0].AlterTableCmd.def.Constraint;
    assert.equal(renameReferencedColumn(fk, 'a', 'z'), renameReferencedColumn(fk, 'a', 'z'));
    assert.match(text(renameReferencedColumn(fk, 'a', 'z')), /"pk_attrs":\[{"String":{"sval":"z"/);
    assert.equal(renameReferencedColumn(fk, 'x', 'z'), fk, 'the referencing column is not a referenced one');
    // A table rename depends on the first schema of the search path.
    assert.match(text(renameRelationIn(view, 'public', 't', 't2', ['public'])), /"relname":"t2"/);
    assert.equal(renameRelationIn(view, 'public', 't', 't2', ['other', 'public']), view);
  });

  test("a renamed view's copy reads the relations a fresh walk finds", () => {
    const view = parseSql('CREATE VIEW v AS SELECT a FROM t, s.u WHERE a IN (SELECT a FROM w)').statements[0].node;
    const before = relationsIn(view);
    const copy = renameColumnInQuery(view, ['t'], 'a', 'c');
    assert.deepEqual(relationsIn(copy), relationsIn(cloneNode(copy)));
    assert.deepEqual(relationsIn(copy), before);
  });

  test('DROP … CASCADE finds the views a column rename rewrote, and only those', () => {
    const c = catalogOf(`
      CREATE TABLE t (a int); CREATE TABLE u (a int); CREATE TABLE x (a int);
      CREATE VIEW v AS SELECT a FROM t;
      CREATE VIEW w AS SELECT a FROM u;
      DROP TABLE x CASCADE;
      ALTER TABLE t RENAME COLUMN a TO b;
      ALTER TABLE u RENAME COLUMN a TO b;
      DROP TABLE u CASCADE;`);
    assert.deepEqual([...c.tables.keys()], ['public.t', 'public.v']);
    assert.match(text(viewNode(c, 'v')), /"sval":"b"/);
    const gone = catalogOf('CREATE TABLE t (a int); CREATE VIEW v AS SELECT a FROM t; DROP TABLE t CASCADE;');
    assert.equal(gone.tables.has('public.v'), false);
  });

  test('renames follow a view made after an earlier rename, and apply alike in every catalog that shares the statements', () => {
    const statements = parseSql(`
      CREATE TABLE t (a int, k int PRIMARY KEY);
      CREATE TABLE p (t_k int REFERENCES t (k));
      CREATE INDEX t_a ON t (a);
      ALTER TABLE t RENAME COLUMN a TO b;
      CREATE VIEW v AS SELECT b FROM t;
      ALTER TABLE t RENAME COLUMN b TO c;
      ALTER TABLE t RENAME COLUMN k TO id;`).statements;
    const build = () => {
      const c = catalogOf('');
      const state = newApplyState('up.sql');
      for (const s of statements) applyStatement(c, s, state);
      return c;
    };
    const [first, second] = [build(), build()];
    for (const c of [first, second]) {
      // PostgreSQL keeps the view's output name: SELECT c AS b.
      assert.match(text(viewNode(c, 'v')), /"sval":"c".*"name":"b"/);
      assert.match(text(c.indexes.get('public.t_a')?.node), /"name":"c"/);
      assert.deepEqual(c.tables.get('public.p')?.constraints[0].references, { table: 'public.t', columns: ['id'] });
    }
    assert.equal(viewNode(first, 'v'), viewNode(second, 'v'), 'the second catalog reuses the first one’s rewritten view');
  });
});
