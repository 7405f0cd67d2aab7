// `pgdba rules`: the rule list with metadata, as a table or JSON.
import { parseArgs } from 'node:util';
import { rules } from '../core/rules';
import type { Io } from './check';

export async function runRules(argv: string[], io: Io): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { format: { type: 'string', default: 'text' } } });
  if (values.format === 'json') {
    io.stdout(
      JSON.stringify(
        rules.map((r) => ({
          id: r.id,
          category: r.category,
          severity: r.severity,
          recommended: r.recommended,
          fix: r.fix,
          scope: r.scope,
          minPg: r.minPg,
          summary: r.docs.summary,
          help: r.docs.help,
          sources: r.sources ?? [],
        })),
        null,
        2,
      ) + '\n',
    );
    return 0;
  }
  if (values.format !== 'text') {
    io.stderr(`pgdba rules: unknown --format "${values.format}" (use text or json)\n`);
    return 2;
  }
  const width = Math.max(...rules.map((r) => r.id.length), 4);
  const lines = rules.map(
    (r) =>
      `${r.id.padEnd(width)}  ${r.category.padEnd(16)}  ${r.severity.padEnd(7)}  ${r.recommended ? 'on ' : 'off'}  fix:${r.fix.padEnd(6)}  ${r.docs.summary}`,
  );
  io.stdout(`${'rule'.padEnd(width)}  ${'category'.padEnd(16)}  severity default fix         summary\n${lines.join('\n')}\n`);
  return 0;
}
