-- SYNTAX TEST "source.pgsql" "keywords, types, operators and casts"

ALTER TABLE public.orders ADD CONSTRAINT orders_total_check CHECK (total >= 0) NOT VALID;
-- <----- keyword.other.DDL.pgsql
--    ^^^^^ keyword.other.DDL.pgsql
--          ^^^^^^ - keyword.other.DDL.pgsql keyword.other.DML.pgsql
--                ^ punctuation.separator.period.pgsql
--                 ^^^^^^ - keyword.other.DDL.pgsql keyword.other.DML.pgsql
--                                                                       ^^ keyword.operator.comparison.pgsql
--                                                                             ^^^ keyword.operator.logical.pgsql
--                                                                                 ^^^^^ keyword.other.DDL.pgsql

SELECT o.data->>'name', o.meta @> '{"a":1}'::jsonb, ts::timestamp with time zone, a || b, t.select
--       ^^^^ - keyword.other.DDL.pgsql keyword.other.pgsql
--           ^^^ keyword.operator.json.pgsql
--                             ^^ keyword.operator.json.pgsql
--                                         ^^ keyword.operator.cast.pgsql
--                                           ^^^^^ storage.type.pgsql
--                                                    ^^ keyword.operator.cast.pgsql
--                                                      ^^^^^^^^^^^^^^^^^^^^^^^^ storage.type.pgsql
--                                                                                  ^^ keyword.operator.concatenator.pgsql
--                                                                                          ^^^^^^ - keyword.other.DML.pgsql
FROM orders o WHERE created_at > now() - interval '1 day' AND status IS NOT NULL LIMIT 10;
--                             ^ keyword.operator.comparison.pgsql
--                               ^^^ support.function.pgsql
--                                     ^ keyword.operator.arithmetic.pgsql
--                                       ^^^^^^^^ storage.type.pgsql
--                                                            ^^^^^^ - keyword.other.DDL.pgsql keyword.other.DML.pgsql keyword.other.pgsql
--                                                                   ^^ keyword.operator.word.pgsql
--                                                                          ^^^^ constant.language.pgsql
--                                                                               ^^^^^ keyword.other.DML.pgsql

CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_tenant_idx ON orders (tenant_id, id DESC);
--           ^^^^^^^^^^^^ keyword.other.DDL.pgsql
--                                                                                 ^^^^ keyword.other.DML.pgsql
SET lock_timeout = '3s'; BEGIN; COMMIT;
-- <--- keyword.other.DML.pgsql
--                       ^^^^^ keyword.control.transaction.pgsql
--                              ^^^^^^ keyword.control.transaction.pgsql
SELECT col::my_schema.my_type, x::"Mixed", y::double precision;
--          ^^^^^^^^^^^^^^^^^ storage.type.pgsql
--                                ^^^^^^^ storage.type.pgsql
--                                            ^^^^^^^^^^^^^^^^ storage.type.pgsql
SELECT a <> b, a != b, f(x => 1), a -< b, a |/ b, a / b, a-1, b--1
--       ^^ keyword.operator.comparison.pgsql
--               ^^ keyword.operator.comparison.pgsql
--                         ^^ keyword.operator.assignment.named-argument.pgsql
--                                  ^^ keyword.operator.pgsql
--                                          ^^ keyword.operator.pgsql
--                                                  ^ keyword.operator.arithmetic.pgsql
--                                                        ^ keyword.operator.arithmetic.pgsql
--                                                             ^^^ comment.line.double-dash.pgsql
SELECT x=-1, a @@ b, c !~~* d, e ? 'k', f ?| g, h ^ 2, i % 3, j >>= k, l<=-1;
--      ^ keyword.operator.comparison.pgsql
--       ^ keyword.operator.arithmetic.pgsql
--             ^^ keyword.operator.json.pgsql
--                     ^^^^ keyword.operator.pgsql
--                               ^ keyword.operator.pgsql
--                                        ^^ keyword.operator.json.pgsql
--                                                ^ keyword.operator.arithmetic.pgsql
--                                                       ^ keyword.operator.arithmetic.pgsql
--                                                              ^^^ keyword.operator.pgsql
--                                                                      ^^ keyword.operator.comparison.pgsql
--                                                                        ^ keyword.operator.arithmetic.pgsql
