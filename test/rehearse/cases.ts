// Rollback cases shared by the generator's engine tests (PGlite in test/rehearse, PostgreSQL 15 in test/pg): for each,
// `before` builds a schema, `up` changes it, and the generated down must bring the schema fingerprint back exactly.

export interface RollbackCase {
  name: string;
  before: string;
  up: string;
  /** Something the generated down must contain (the inverse this case is about). */
  expect: RegExp;
  /** The down is expected to carry a `-- pgdba: irreversible:` marker. */
  irreversible?: boolean;
}

const USERS = `CREATE TABLE users (id serial PRIMARY KEY, email text NOT NULL UNIQUE, age int CHECK (age > 0), name varchar(40) DEFAULT 'x');`;

export const CASES: RollbackCase[] = [
  {
    name: 'CREATE TABLE → DROP TABLE',
    before: '',
    up: 'CREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, v text);',
    expect: /^DROP TABLE t;$/m,
  },
  {
    name: 'CREATE INDEX CONCURRENTLY → DROP INDEX CONCURRENTLY',
    before: USERS,
    up: 'CREATE INDEX CONCURRENTLY ON users (lower(email));',
    expect: /DROP INDEX CONCURRENTLY users_lower_idx;/,
  },
  {
    name: 'CREATE UNIQUE INDEX → DROP INDEX',
    before: USERS,
    up: 'CREATE UNIQUE INDEX users_name_key2 ON users (name) WHERE age > 10;',
    expect: /DROP INDEX users_name_key2;/,
  },
  {
    name: 'ADD COLUMN → DROP COLUMN',
    before: USERS,
    up: "ALTER TABLE users ADD COLUMN nick text NOT NULL DEFAULT '', ADD COLUMN n serial;",
    expect: /DROP COLUMN n, DROP COLUMN nick/,
  },
  {
    name: 'RENAME table, column, index, constraint → back',
    before: `${USERS} CREATE INDEX users_age_idx ON users (age);`,
    up: 'ALTER TABLE users RENAME COLUMN age TO years; ALTER INDEX users_age_idx RENAME TO users_years_idx; ALTER TABLE users RENAME CONSTRAINT users_age_check TO users_years_check; ALTER TABLE users RENAME TO people;',
    expect: /ALTER TABLE people RENAME TO users;/,
  },
  {
    name: 'ALTER COLUMN TYPE → previous type',
    before: USERS,
    up: 'ALTER TABLE users ALTER COLUMN age TYPE bigint, ALTER COLUMN name TYPE text;',
    expect: /TYPE varchar\(40\)/,
  },
  {
    name: 'ALTER COLUMN TYPE to an enum → back through text',
    before: `CREATE TYPE mood AS ENUM ('a', 'b'); ${USERS}`,
    up: `ALTER TABLE users ALTER COLUMN name DROP DEFAULT, ALTER COLUMN name TYPE mood USING name::mood;`,
    expect: /CAST\(name::text AS varchar\(40\)\)/,
  },
  {
    name: 'SET / DROP DEFAULT → previous default',
    before: USERS,
    up: "ALTER TABLE users ALTER COLUMN name SET DEFAULT 'y', ALTER COLUMN age SET DEFAULT 1; ALTER TABLE users ALTER COLUMN name DROP DEFAULT;",
    expect: /SET DEFAULT 'x'/,
  },
  {
    name: 'SET / DROP NOT NULL → previous nullability',
    before: USERS,
    up: 'ALTER TABLE users ALTER COLUMN age SET NOT NULL, ALTER COLUMN email DROP NOT NULL;',
    expect: /ALTER COLUMN age DROP NOT NULL/,
  },
  {
    name: 'CREATE FUNCTION (new) → DROP FUNCTION',
    before: '',
    up: "CREATE FUNCTION add1(x int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT x + 1';",
    expect: /DROP FUNCTION add1\(int\);/,
  },
  {
    name: 'CREATE OR REPLACE FUNCTION → previous definition',
    before: "CREATE FUNCTION add1(x int) RETURNS int LANGUAGE sql AS 'SELECT x + 1'; COMMENT ON FUNCTION add1(int) IS 'adds';",
    up: "CREATE OR REPLACE FUNCTION add1(x int) RETURNS int LANGUAGE sql AS 'SELECT x + 2';",
    expect: /CREATE OR REPLACE FUNCTION add1[\s\S]*x \+ 1/,
  },
  {
    name: 'CREATE OR REPLACE FUNCTION with a new return type → DROP + CREATE',
    before: "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1'; REVOKE EXECUTE ON FUNCTION f() FROM PUBLIC;",
    up: "DROP FUNCTION f(); CREATE FUNCTION f() RETURNS bigint LANGUAGE sql AS 'SELECT 1';",
    expect: /REVOKE EXECUTE ON FUNCTION f\(\) FROM PUBLIC/,
  },
  {
    name: 'CREATE OR REPLACE VIEW → previous definition',
    before: `${USERS} CREATE VIEW adults AS SELECT id, email FROM users WHERE age >= 18; GRANT SELECT ON adults TO PUBLIC;`,
    up: 'CREATE OR REPLACE VIEW adults AS SELECT id, email, age FROM users WHERE age >= 21;',
    expect: /CREATE VIEW adults/,
  },
  {
    name: 'CREATE VIEW over SELECT * → dropped, and a column added before it goes first',
    before: USERS,
    up: 'ALTER TABLE users ADD COLUMN bio text; DROP VIEW IF EXISTS v; CREATE VIEW v AS SELECT * FROM users;',
    expect: /DROP VIEW v;/,
  },
  {
    name: 'ENABLE / FORCE RLS → DISABLE / NO FORCE',
    before: USERS,
    up: 'ALTER TABLE users ENABLE ROW LEVEL SECURITY; ALTER TABLE users FORCE ROW LEVEL SECURITY;',
    expect: /DISABLE ROW LEVEL SECURITY/,
  },
  {
    name: 'CREATE POLICY → DROP POLICY; ALTER POLICY → previous',
    before: `${USERS} CREATE POLICY p1 ON users USING (age > 0);`,
    up: "CREATE POLICY p2 ON users FOR SELECT TO PUBLIC USING (email <> ''); ALTER POLICY p1 ON users USING (age > 1) WITH CHECK (age < 200);",
    expect: /DROP POLICY p2 ON users;/,
  },
  {
    name: 'GRANT ↔ REVOKE',
    before: `${USERS} CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1'; GRANT SELECT ON users TO PUBLIC;`,
    up: 'GRANT INSERT, UPDATE ON users TO PUBLIC; REVOKE SELECT ON users FROM PUBLIC; REVOKE EXECUTE ON FUNCTION f() FROM PUBLIC;',
    expect: /GRANT EXECUTE ON FUNCTION f\(\) TO PUBLIC/,
  },
  {
    name: 'ADD CONSTRAINT (unnamed) → DROP CONSTRAINT by PostgreSQL’s name',
    before: `${USERS} CREATE TABLE orgs (id int PRIMARY KEY);`,
    up: 'ALTER TABLE users ADD COLUMN org int, ADD FOREIGN KEY (org) REFERENCES orgs (id) ON DELETE CASCADE, ADD CHECK (org > 0), ADD UNIQUE (org, email);',
    expect: /DROP CONSTRAINT users_org_email_key/,
  },
  {
    name: 'ADD PRIMARY KEY → DROP CONSTRAINT and the implied NOT NULL',
    before: 'CREATE TABLE kv (k text, v text);',
    up: 'ALTER TABLE kv ADD PRIMARY KEY (k);',
    expect: /DROP CONSTRAINT kv_pkey, ALTER COLUMN k DROP NOT NULL/,
  },
  {
    name: 'DROP CONSTRAINT → re-added',
    before: `${USERS} CREATE TABLE posts (id int PRIMARY KEY, author int REFERENCES users (id) DEFERRABLE INITIALLY DEFERRED);`,
    up: 'ALTER TABLE posts DROP CONSTRAINT posts_author_fkey; ALTER TABLE users DROP CONSTRAINT users_age_check;',
    expect: /ADD CONSTRAINT posts_author_fkey FOREIGN KEY \(author\) REFERENCES users \(id\) DEFERRABLE INITIALLY DEFERRED/,
  },
  {
    name: 'VALIDATE CONSTRAINT → NOT VALID again',
    before: `${USERS} ALTER TABLE users ADD CONSTRAINT adult CHECK (age >= 18) NOT VALID;`,
    up: 'ALTER TABLE users VALIDATE CONSTRAINT adult;',
    expect: /ADD CONSTRAINT adult CHECK \(age >= 18\) NOT VALID/,
  },
  {
    name: 'triggers: CREATE → DROP, DROP → CREATE, RENAME → back',
    before: `${USERS} CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END'; CREATE TRIGGER t1 BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION touch(); CREATE TRIGGER t2 BEFORE INSERT ON users FOR EACH ROW EXECUTE FUNCTION touch();`,
    up: 'CREATE TRIGGER t3 AFTER DELETE ON users FOR EACH STATEMENT EXECUTE FUNCTION touch(); DROP TRIGGER t1 ON users; ALTER TRIGGER t2 ON users RENAME TO t2b;',
    expect: /ALTER TRIGGER t2b ON users RENAME TO t2;/,
  },
  {
    name: 'DROP FUNCTION … CASCADE → function and its triggers back',
    before: `${USERS} CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END'; CREATE TRIGGER t1 BEFORE UPDATE ON users FOR EACH ROW WHEN (OLD.email IS DISTINCT FROM NEW.email) EXECUTE FUNCTION touch();`,
    up: 'DROP FUNCTION touch() CASCADE;',
    expect: /CREATE TRIGGER t1/,
  },
  {
    name: 'sequences: CREATE → DROP, ALTER → previous options, DROP → CREATE',
    before: 'CREATE SEQUENCE s1 INCREMENT BY 5 START WITH 100; CREATE SEQUENCE s2 CACHE 10;',
    up: 'CREATE SEQUENCE s3; ALTER SEQUENCE s1 INCREMENT BY 10 MAXVALUE 1000; DROP SEQUENCE s2;',
    expect: /ALTER SEQUENCE s1 INCREMENT 5 NO MAXVALUE/,
    irreversible: true,
  },
  {
    name: 'enum: CREATE TYPE → DROP TYPE; RENAME VALUE → back',
    before: "CREATE TYPE mood AS ENUM ('sad', 'ok');",
    up: "CREATE TYPE color AS ENUM ('red'); ALTER TYPE mood RENAME VALUE 'ok' TO 'fine';",
    expect: /ALTER TYPE mood RENAME VALUE 'fine' TO 'ok'/,
  },
  {
    name: 'enum: ADD VALUE → type re-created without it',
    before: `CREATE TYPE mood AS ENUM ('sad', 'ok'); CREATE TABLE m (id int, mood mood DEFAULT 'ok', moods mood[]); CREATE INDEX m_sad ON m (id) WHERE mood = 'sad';`,
    up: "ALTER TYPE mood ADD VALUE 'happy' AFTER 'ok';",
    expect: /ALTER TYPE mood RENAME TO mood_pgdba_old/,
  },
  {
    name: 'composite type, domain and ALTER DOMAIN',
    before: 'CREATE DOMAIN posint AS int CHECK (VALUE > 0);',
    up: "CREATE TYPE pair AS (a int, b text); CREATE DOMAIN email AS text CHECK (VALUE LIKE '%@%'); ALTER DOMAIN posint SET DEFAULT 1; ALTER DOMAIN posint SET NOT NULL;",
    expect: /DROP DOMAIN email;/,
  },
  {
    name: 'extensions and schemas',
    before: 'CREATE SCHEMA old_stuff;',
    up: 'CREATE EXTENSION IF NOT EXISTS citext; CREATE SCHEMA app; CREATE TABLE app.things (id int, name citext); DROP SCHEMA old_stuff;',
    expect: /DROP EXTENSION citext;/,
  },
  {
    name: 'COMMENT → previous comment',
    before: `${USERS} COMMENT ON TABLE users IS 'people'; COMMENT ON COLUMN users.age IS 'years';`,
    up: "COMMENT ON TABLE users IS 'accounts'; COMMENT ON COLUMN users.age IS NULL; COMMENT ON COLUMN users.email IS 'login';",
    expect: /COMMENT ON TABLE users IS 'people'/,
  },
  {
    name: 'DROP TABLE → re-created with indexes, triggers, policies, grants, comments',
    before: `${USERS} CREATE INDEX users_lower_email ON users (lower(email)) WHERE age > 0; ALTER TABLE users ENABLE ROW LEVEL SECURITY; CREATE POLICY own ON users USING (email = current_user); GRANT SELECT ON users TO PUBLIC; COMMENT ON COLUMN users.age IS 'years'; CREATE TABLE posts (id int, author int REFERENCES users (id));`,
    up: 'DROP TABLE users CASCADE;',
    expect: /ADD CONSTRAINT posts_author_fkey/,
    irreversible: true,
  },
  {
    name: 'DROP TABLE of a renamed serial table keeps its sequence name',
    before: 'CREATE TABLE user_ (id serial PRIMARY KEY, n text); ALTER TABLE user_ RENAME TO person;',
    up: 'DROP TABLE person;',
    expect: /CREATE SEQUENCE user__id_seq AS integer/,
    irreversible: true,
  },
  {
    name: 'DROP COLUMN → re-added with its indexes and constraints',
    before: `${USERS} CREATE INDEX users_age_name ON users (age, name);`,
    up: 'ALTER TABLE users DROP COLUMN age;',
    expect: /CREATE INDEX users_age_name/,
    irreversible: true,
  },
  {
    name: 'DROP COLUMN that owns a sequence (pg_dump style) → sequence and column back',
    before:
      "CREATE TABLE nbi (id integer NOT NULL, v text); CREATE SEQUENCE nbi_id_seq; ALTER SEQUENCE nbi_id_seq OWNED BY nbi.id; ALTER TABLE nbi ALTER COLUMN id SET DEFAULT nextval('nbi_id_seq'::regclass);",
    up: 'ALTER TABLE nbi DROP COLUMN id;',
    expect: /CREATE SEQUENCE nbi_id_seq;\nALTER TABLE nbi ADD COLUMN id int DEFAULT nextval/,
    irreversible: true,
  },
  {
    name: 'ADD COLUMN with constraints on it in one statement → constraints dropped before the column',
    before: 'CREATE TABLE c (cur text NOT NULL); CREATE TABLE cc (id text PRIMARY KEY);',
    up: 'ALTER TABLE c ADD CONSTRAINT ref CHECK ((cur IS NULL) <> (cid IS NULL)), ALTER COLUMN cur DROP NOT NULL, ADD COLUMN cid text REFERENCES cc (id);',
    expect: /ALTER TABLE c DROP CONSTRAINT ref, DROP COLUMN cid, ALTER COLUMN cur SET NOT NULL;/,
  },
  {
    name: 'DROP VIEW / MATERIALIZED VIEW → re-created',
    before: `${USERS} CREATE VIEW v1 AS SELECT id FROM users; CREATE MATERIALIZED VIEW mv AS SELECT count(*) AS n FROM users; CREATE UNIQUE INDEX mv_n ON mv (n);`,
    up: 'DROP MATERIALIZED VIEW mv; DROP VIEW v1;',
    expect: /CREATE UNIQUE INDEX mv_n ON mv/,
  },
  {
    name: 'DROP INDEX CONCURRENTLY → CREATE INDEX CONCURRENTLY',
    before: `${USERS} CREATE INDEX users_name ON users (name);`,
    up: 'DROP INDEX CONCURRENTLY users_name;',
    expect: /CREATE INDEX CONCURRENTLY users_name ON users/,
  },
  {
    name: 'INSERT of constants → DELETE',
    before: 'CREATE TABLE kinds (id int PRIMARY KEY, label text);',
    up: "INSERT INTO kinds (id, label) VALUES (1, 'a'), (2, NULL);",
    expect: /DELETE FROM kinds WHERE \(id = 1 AND label = 'a'\) OR \(id = 2 AND label IS NULL\)/,
  },
  {
    name: 'ALTER FUNCTION → previous settings',
    before: "CREATE FUNCTION f() RETURNS int LANGUAGE sql STABLE AS 'SELECT 1';",
    up: 'ALTER FUNCTION f() SECURITY DEFINER SET search_path = public IMMUTABLE;',
    expect: /ALTER FUNCTION f\(\) SECURITY INVOKER RESET search_path STABLE/,
  },
  {
    name: 'SET SCHEMA → back',
    before: `CREATE SCHEMA archive; ${USERS}`,
    up: 'ALTER TABLE users SET SCHEMA archive;',
    expect: /ALTER TABLE archive\.users SET SCHEMA public;/,
  },
];
