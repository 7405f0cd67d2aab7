-- SYNTAX TEST "source.pgsql" "comments and pgdba-ignore directives"

SELECT 1; -- trailing comment with 'quote' and $$dollar
--        ^^ comment.line.double-dash.pgsql punctuation.definition.comment.pgsql
--                                 ^^^^^^^^^^^^^^^^^^^^ comment.line.double-dash.pgsql - string.quoted.single.pgsql string.quoted.dollar.pgsql

/* outer /* nested */ still comment */ SELECT 2;
-- <-- comment.block.pgsql punctuation.definition.comment.begin.pgsql
--       ^^ comment.block.pgsql comment.block.pgsql punctuation.definition.comment.begin.pgsql
--                    ^^^^^^^^^^^^^ comment.block.pgsql - keyword.other.DML.pgsql
--                                  ^^ comment.block.pgsql punctuation.definition.comment.end.pgsql
--                                     ^^^^^^ keyword.other.DML.pgsql - comment.block.pgsql

/* multi-line
SELECT 3; -- still inside
-- <------ comment.block.pgsql - keyword.other.DML.pgsql
*/
SELECT 4;
-- <------ keyword.other.DML.pgsql - comment.block.pgsql

-- pgdba-ignore tenant-filter, unbounded-select -- admin report, reviewed
-- <-- comment.line.double-dash.pgdba-ignore.pgsql punctuation.definition.comment.pgsql
-- ^^^^^^^^^^^^ comment.line.double-dash.pgdba-ignore.pgsql keyword.other.directive.pgdba-ignore.pgsql
--              ^^^^^^^^^^^^^ comment.line.double-dash.pgdba-ignore.pgsql constant.other.rule-id.pgsql
--                           ^ comment.line.double-dash.pgdba-ignore.pgsql punctuation.separator.comma.pgsql
--                             ^^^^^^^^^^^^^^^^ constant.other.rule-id.pgsql
--                                              ^^ meta.reason.pgdba-ignore.pgsql punctuation.separator.reason.pgsql
--                                                 ^^^^^^^^^^^^^^^^^^^^^^ meta.reason.pgdba-ignore.pgsql - constant.other.rule-id.pgsql punctuation.separator.comma.pgsql
SELECT * FROM orders;
-- <------ keyword.other.DML.pgsql - comment.line.double-dash.pgdba-ignore.pgsql

--pgdba-ignore-file security-definer-search-path
-- <-- comment.line.double-dash.pgdba-ignore-file.pgsql
--^^^^^^^^^^^^^^^^^ keyword.other.directive.pgdba-ignore-file.pgsql - keyword.other.directive.pgdba-ignore.pgsql
--                  ^^^^^^^^^^^^^^^^^^^^^^^^^^^^ constant.other.rule-id.pgsql

-- pgdba-ignored is an ordinary comment
-- ^^^^^^^^^^^^^ comment.line.double-dash.pgsql - keyword.other.directive.pgdba-ignore.pgsql comment.line.double-dash.pgdba-ignore.pgsql
