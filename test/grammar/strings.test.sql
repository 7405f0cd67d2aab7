-- SYNTAX TEST "source.pgsql" "strings, quoted identifiers, numbers and parameters"

SELECT E'it\'s\n', 'a''b', 'c:\path\' AS p;
--     ^^ string.quoted.single.escape.pgsql punctuation.definition.string.begin.pgsql
--         ^^ string.quoted.single.escape.pgsql constant.character.escape.pgsql
--            ^^ string.quoted.single.escape.pgsql constant.character.escape.pgsql
--              ^ string.quoted.single.escape.pgsql punctuation.definition.string.end.pgsql
--                 ^ string.quoted.single.pgsql punctuation.definition.string.begin.pgsql
--                  ^ string.quoted.single.pgsql - constant.character.escape.quote.pgsql
--                   ^^ string.quoted.single.pgsql constant.character.escape.quote.pgsql
--                            ^^^^^^ string.quoted.single.pgsql - constant.character.escape.pgsql
--                                  ^ string.quoted.single.pgsql punctuation.definition.string.end.pgsql
--                                    ^^ keyword.other.DML.pgsql - string.quoted.single.pgsql

SELECT e'\x41\101\u00e9\U0001F600', E'a''b', E'\\';
--       ^^^^ constant.character.escape.pgsql
--           ^^^^ constant.character.escape.pgsql
--               ^^^^^^ constant.character.escape.pgsql
--                     ^^^^^^^^^^ constant.character.escape.pgsql
--                                     ^^ string.quoted.single.escape.pgsql constant.character.escape.quote.pgsql
--                                             ^^ string.quoted.single.escape.pgsql constant.character.escape.pgsql
--                                                ^ punctuation.terminator.statement.pgsql - string.quoted.single.escape.pgsql

-- A multi-line standard string runs to its closing quote, whatever it contains.
INSERT INTO t VALUES ('line one
--                   ^ punctuation.section.parens.begin.pgsql
line two with -- not a comment /* nor this
-- <-------- string.quoted.single.pgsql
--            ^^^^^^^^^^^^^^^^^^^^^^^^^^^^ string.quoted.single.pgsql - comment.line.double-dash.pgsql comment.block.pgsql
done');
--  ^ string.quoted.single.pgsql punctuation.definition.string.end.pgsql
--   ^ punctuation.section.parens.end.pgsql - string.quoted.single.pgsql

SELECT U&'d\0061t\+000061', B'1010', X'1F', N'national';
--     ^^^ string.quoted.single.unicode.pgsql punctuation.definition.string.begin.pgsql
--        ^ string.quoted.single.unicode.pgsql - constant.character.escape.pgsql
--         ^^^^^ constant.character.escape.pgsql
--               ^^^^^^^^ constant.character.escape.pgsql
--                          ^^^^^^^ constant.numeric.bit-string.pgsql
--                                   ^^^^^ constant.numeric.bit-string.pgsql
--                                          ^^^^^^^^^^^ string.quoted.single.pgsql

SELECT "Weird ""Name""", "select", U&"\00e9" FROM "my schema".orders, select_me;
--     ^ variable.other.quoted.pgsql punctuation.definition.identifier.begin.pgsql
--            ^^ variable.other.quoted.pgsql constant.character.escape.quote.pgsql
--                        ^^^^^^^ variable.other.quoted.pgsql - keyword.other.DML.pgsql
--                                 ^^^^^^^^^ variable.other.quoted.pgsql
--                                                            ^^^^^^ - keyword.other.DML.pgsql variable.other.quoted.pgsql
--                                                                    ^^^^^^^^^ - keyword.other.DML.pgsql

SELECT 42, 3.14, .5, 1e10, 2.5E-3, 0x1F, 1_000_000, t1.c2, col3 FROM t WHERE id = $1 AND x = $12 AND y$1 = 0;
--     ^^ constant.numeric.pgsql
--         ^^^^ constant.numeric.pgsql
--               ^^ constant.numeric.pgsql
--                   ^^^^ constant.numeric.pgsql
--                         ^^^^^^ constant.numeric.pgsql
--                                 ^^^^ constant.numeric.pgsql
--                                       ^^^^^^^^^ constant.numeric.pgsql
--                                                  ^^^^^ - constant.numeric.pgsql
--                                                         ^^^^ - constant.numeric.pgsql
--                                                                                ^^ variable.parameter.positional.pgsql
--                                                                                           ^^^ variable.parameter.positional.pgsql
--                                                                                                   ^^^ - variable.parameter.positional.pgsql string.quoted.dollar.pgsql
