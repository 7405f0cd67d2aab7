-- SYNTAX TEST "source.pgsql" "psql meta-commands and variables"

\set ON_ERROR_STOP on
-- <---- meta.meta-command.psql keyword.other.meta-command.psql
--   ^^^^^^^^^^^^^ meta.meta-command.psql string.unquoted.argument.psql - keyword.other.pgsql
--                 ^^ string.unquoted.argument.psql - keyword.other.DML.pgsql
\set tenant '7f3c'
--          ^^^^^^ string.quoted.single.psql
\i migrations/001_init.sql
-- <-- keyword.other.meta-command.psql
-- ^^^^^^^^^^^^^^^^^^^^^^^ string.unquoted.argument.psql
  \c mydb
--^^ keyword.other.meta-command.psql
\echo `date` :tenant
--    ^^^^^^ string.interpolated.backtick.psql
--           ^^^^^^^ variable.other.psql
SELECT * FROM orders WHERE tenant_id = :'tenant' AND x::text = :"col" AND y = :n;
--                                     ^^^^^^^^^ variable.other.psql
--                                                    ^^ keyword.operator.cast.pgsql - variable.other.psql
--                                                      ^^^^ storage.type.pgsql - variable.other.psql
--                                                             ^^^^^^ variable.other.psql
--                                                                            ^^ variable.other.psql
SELECT count(*) AS n FROM orders \gset
--                               ^^^^^ keyword.other.meta-command.psql
SELECT 'not \a meta-command', E'\\n';
--          ^^ string.quoted.single.pgsql - keyword.other.meta-command.psql
--                              ^^ constant.character.escape.pgsql - keyword.other.meta-command.psql
DO $$ BEGIN PERFORM :not_a_var; END $$;
--                  ^^^^^^^^^^ - variable.other.psql
