// Prints the libpg-query AST of each statement of SQL given as the first argument (a developer aid).
import { initParser, parseSql } from '../server/src/core/parse/parse';

void (async () => {
  await initParser();
  const parsed = parseSql(process.argv[2] ?? '');
  for (const s of parsed.statements) console.log(JSON.stringify(s.node));
  for (const e of parsed.errors) console.log('error', JSON.stringify(e));
})();
