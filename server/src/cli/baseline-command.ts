// `pgdba baseline write FILE <paths…>`: records the current findings of `pgdba check` as accepted (see baseline.ts).
import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildBaseline, loadBaseline } from './baseline';
import type { Io } from './check';

const USAGE = 'pgdba baseline: usage: pgdba baseline write FILE <paths…> [--config FILE]\n';

export async function runBaseline(argv: string[], io: Io, cwd: string): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { config: { type: 'string' } } });
  const [verb, file, ...paths] = positionals;
  if (verb !== 'write' || !file || paths.length === 0) {
    io.stderr(USAGE);
    return 2;
  }
  const target = resolve(cwd, file);
  // Rewrite a baseline, never some other file that happens to have this name.
  if (existsSync(target)) {
    const existing = loadBaseline(target);
    if (!existing.ok) {
      io.stderr(`pgdba baseline: ${file} exists and is not a pgdba baseline; not overwriting it\n`);
      return 2;
    }
  }
  const { runCheck } = await import('./check.js');
  let written = 0;
  const code = await runCheck(
    {
      paths,
      format: 'json',
      config: values.config,
      cwd,
      hooks: {
        finish: (findings, exitCode) => {
          if (exitCode === 2) return 2;
          const baseline = buildBaseline(findings, cwd, target);
          writeFileSync(target, JSON.stringify(baseline, null, 2) + '\n');
          written = findings.length;
          return 0;
        },
      },
    },
    io,
  );
  if (code === 0) io.stdout(`pgdba: wrote ${file}: ${written} finding${written === 1 ? '' : 's'} accepted.\n`);
  else io.stderr('pgdba baseline: the check failed (see above); nothing written\n');
  return code;
}
