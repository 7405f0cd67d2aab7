-- SYNTAX TEST "source.pgsql" "dollar quoting and PL/pgSQL bodies"

SELECT $$it's a "string"$$, $tag$ with $$ inside $tag$, $1;
--     ^^ string.quoted.dollar.pgsql punctuation.definition.string.begin.pgsql
--       ^^^^^^^^^^^^^^^ string.quoted.dollar.pgsql - string.quoted.single.pgsql variable.other.quoted.pgsql
--                      ^^ string.quoted.dollar.pgsql punctuation.definition.string.end.pgsql
--                          ^^^^^ string.quoted.dollar.pgsql punctuation.definition.string.begin.pgsql
--                                     ^^^^^^^^^ string.quoted.dollar.pgsql - punctuation.definition.string.end.pgsql
--                                               ^^^^^ string.quoted.dollar.pgsql punctuation.definition.string.end.pgsql
--                                                      ^^ variable.parameter.positional.pgsql

CREATE OR REPLACE FUNCTION app.touch(p_id bigint) RETURNS trigger AS $fn$
-- <------ keyword.other.DDL.pgsql
--                         ^^^^^^^^^ entity.name.function.pgsql
--                                        ^^^^^^ storage.type.pgsql
--                                                                ^^ keyword.other.DDL.pgsql
--                                                                   ^^^^ punctuation.section.embedded.begin.pgsql
DECLARE
-- <------- meta.embedded.block.plpgsql keyword.control.plpgsql
  n integer := 0;
--  ^^^^^^^ meta.embedded.block.plpgsql storage.type.pgsql
--          ^^ keyword.operator.assignment.plpgsql
  r app.orders%ROWTYPE;
--            ^^^^^^^^ keyword.other.type-reference.plpgsql
BEGIN
-- <----- meta.embedded.block.plpgsql keyword.control.plpgsql
  <<outer>>
--^^^^^^^^^ entity.name.label.plpgsql
  IF TG_OP = 'INSERT' THEN
--^^ keyword.control.plpgsql
--   ^^^^^ variable.language.plpgsql
--           ^^^^^^^^ string.quoted.single.pgsql
--                    ^^^^ keyword.control.plpgsql
    NEW.updated_at := now();
--  ^^^ variable.language.plpgsql
--                    ^^^ support.function.pgsql
  END IF;
--^^^ keyword.control.plpgsql
  EXECUTE format($q$UPDATE %I SET n = n + 1$q$, TG_TABLE_NAME) USING p_id;
--^^^^^^^ keyword.control.plpgsql
--               ^^^ string.quoted.dollar.pgsql punctuation.definition.string.begin.pgsql
--                  ^^^^^^ string.quoted.dollar.pgsql - keyword.other.DML.pgsql
--                                              ^^^^^^^^^^^^^ variable.language.plpgsql
  -- a comment inside the body, and $1 is a parameter
--^^ comment.line.double-dash.pgsql
  RAISE NOTICE 'done % $$', $1;
--^^^^^ keyword.control.plpgsql
--             ^^^^^^^^^^^ string.quoted.single.pgsql
--                          ^^ variable.parameter.positional.pgsql
  RETURN NEW;
END;
$fn$ LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
-- <---- punctuation.section.embedded.end.pgsql - meta.embedded.block.plpgsql
--   ^^^^^^^^ keyword.other.DDL.pgsql - meta.embedded.block.plpgsql
--                    ^^^^^^^^ keyword.other.DDL.pgsql

DO $$ BEGIN PERFORM pg_sleep(0); END $$;
-- <-- keyword.other.DDL.pgsql
-- ^^ punctuation.section.embedded.begin.pgsql
--    ^^^^^ meta.embedded.block.plpgsql keyword.control.plpgsql
--          ^^^^^^^ keyword.control.plpgsql
--                                   ^^ punctuation.section.embedded.end.pgsql
--                                     ^ punctuation.terminator.statement.pgsql - meta.embedded.block.plpgsql

CREATE FUNCTION add(a int, b int) RETURNS int LANGUAGE sql AS $$ SELECT a + b $$;
--                                                            ^^ punctuation.section.embedded.begin.pgsql
--                                                               ^^^^^^ meta.embedded.block.sql.pgsql keyword.other.DML.pgsql - keyword.control.plpgsql

CREATE FUNCTION py() RETURNS int LANGUAGE plpython3u AS $body$
--                                        ^^^^^^^^^^ entity.name.language.pgsql
--                                                      ^^^^^^ punctuation.definition.string.begin.pgsql
return 1 -- not SQL
-- <------------------- string.quoted.dollar.pgsql - keyword.control.plpgsql comment.line.double-dash.pgsql
$body$;
-- <------ punctuation.definition.string.end.pgsql
--    ^ punctuation.terminator.statement.pgsql - string.quoted.dollar.pgsql

CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql
AS
$$
BEGIN
-- <----- meta.embedded.block.plpgsql keyword.control.plpgsql
  NULL;
END
$$;
-- <-- punctuation.section.embedded.end.pgsql
--^ punctuation.terminator.statement.pgsql
