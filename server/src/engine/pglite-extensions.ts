// The contrib extensions PGlite ships (dist/contrib), by SQL extension name, each a static require a bundler can see.
import type { Extension } from '@electric-sql/pglite';

// require(), not import(): the worker bundle is CommonJS with PGlite left external, and Node resolves an import() through
// the package's "import" condition (dist/contrib/*.js, ESM) but require() through "require" (dist/contrib/*.cjs). The VSIX
// ships the .cjs loaders beside PGlite's CommonJS entry, so the bundle, the tests and tsx runs all load the same files.
function pick(mod: unknown, name: string): Extension {
  const ext = (mod as Record<string, Extension | undefined>)[name];
  if (!ext) throw new Error(`PGlite contrib module has no export "${name}"`);
  return ext;
}

export const PGLITE_CONTRIB: Readonly<Record<string, () => Extension>> = {
  amcheck: () => pick(require('@electric-sql/pglite/contrib/amcheck'), 'amcheck'),
  auto_explain: () => pick(require('@electric-sql/pglite/contrib/auto_explain'), 'auto_explain'),
  bloom: () => pick(require('@electric-sql/pglite/contrib/bloom'), 'bloom'),
  btree_gin: () => pick(require('@electric-sql/pglite/contrib/btree_gin'), 'btree_gin'),
  btree_gist: () => pick(require('@electric-sql/pglite/contrib/btree_gist'), 'btree_gist'),
  citext: () => pick(require('@electric-sql/pglite/contrib/citext'), 'citext'),
  cube: () => pick(require('@electric-sql/pglite/contrib/cube'), 'cube'),
  dict_int: () => pick(require('@electric-sql/pglite/contrib/dict_int'), 'dict_int'),
  dict_xsyn: () => pick(require('@electric-sql/pglite/contrib/dict_xsyn'), 'dict_xsyn'),
  earthdistance: () => pick(require('@electric-sql/pglite/contrib/earthdistance'), 'earthdistance'),
  file_fdw: () => pick(require('@electric-sql/pglite/contrib/file_fdw'), 'file_fdw'),
  fuzzystrmatch: () => pick(require('@electric-sql/pglite/contrib/fuzzystrmatch'), 'fuzzystrmatch'),
  hstore: () => pick(require('@electric-sql/pglite/contrib/hstore'), 'hstore'),
  intarray: () => pick(require('@electric-sql/pglite/contrib/intarray'), 'intarray'),
  isn: () => pick(require('@electric-sql/pglite/contrib/isn'), 'isn'),
  lo: () => pick(require('@electric-sql/pglite/contrib/lo'), 'lo'),
  ltree: () => pick(require('@electric-sql/pglite/contrib/ltree'), 'ltree'),
  moddatetime: () => pick(require('@electric-sql/pglite/contrib/moddatetime'), 'moddatetime'),
  pageinspect: () => pick(require('@electric-sql/pglite/contrib/pageinspect'), 'pageinspect'),
  pg_buffercache: () => pick(require('@electric-sql/pglite/contrib/pg_buffercache'), 'pg_buffercache'),
  pg_freespacemap: () => pick(require('@electric-sql/pglite/contrib/pg_freespacemap'), 'pg_freespacemap'),
  pg_stat_statements: () => pick(require('@electric-sql/pglite/contrib/pg_stat_statements'), 'pg_stat_statements'),
  pg_surgery: () => pick(require('@electric-sql/pglite/contrib/pg_surgery'), 'pg_surgery'),
  pg_trgm: () => pick(require('@electric-sql/pglite/contrib/pg_trgm'), 'pg_trgm'),
  pg_visibility: () => pick(require('@electric-sql/pglite/contrib/pg_visibility'), 'pg_visibility'),
  pg_walinspect: () => pick(require('@electric-sql/pglite/contrib/pg_walinspect'), 'pg_walinspect'),
  pgcrypto: () => pick(require('@electric-sql/pglite/contrib/pgcrypto'), 'pgcrypto'),
  seg: () => pick(require('@electric-sql/pglite/contrib/seg'), 'seg'),
  tablefunc: () => pick(require('@electric-sql/pglite/contrib/tablefunc'), 'tablefunc'),
  tcn: () => pick(require('@electric-sql/pglite/contrib/tcn'), 'tcn'),
  tsm_system_rows: () => pick(require('@electric-sql/pglite/contrib/tsm_system_rows'), 'tsm_system_rows'),
  tsm_system_time: () => pick(require('@electric-sql/pglite/contrib/tsm_system_time'), 'tsm_system_time'),
  unaccent: () => pick(require('@electric-sql/pglite/contrib/unaccent'), 'unaccent'),
  'uuid-ossp': () => pick(require('@electric-sql/pglite/contrib/uuid_ossp'), 'uuid_ossp'),
};
