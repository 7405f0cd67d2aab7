// sqitch: changes in sqitch.plan order, each with deploy/, revert/ and verify/ scripts beside the plan.
import { basename, dirname, join, type Discovery } from './tree';
import { wholeFile, type Migration } from './types';

interface PlanEntry {
  name: string;
  /** Tags that follow this change in the plan (before the next change). */
  tags: string[];
}

/**
 * Reads the change lines of a plan (https://sqitch.org/docs/manual/sqitch-plan/): `%pragma` lines, `#` comments,
 * `@tag ...` lines (tagging the change before them) and change lines `[+-]name [deps] timestamp planner # note`.
 */
export function parsePlan(text: string): PlanEntry[] {
  const entries: PlanEntry[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('%')) continue;
    const token = line.split(/\s+/)[0];
    if (token.startsWith('@')) {
      entries[entries.length - 1]?.tags.push(token.slice(1));
      continue;
    }
    const name = token.replace(/^[+-]/, '');
    if (name !== '') entries.push({ name, tags: [] });
  }
  return entries;
}

/**
 * The script name of each plan entry. A reworked change keeps `name.sql` for its latest instance; an earlier
 * instance uses `name@tag.sql` for the first tag between it and the next instance whose deploy script exists
 * (App::Sqitch 0.951+), falling back to the first such tag.
 */
function scriptNames(entries: PlanEntry[], exists: (script: string) => boolean): string[] {
  return entries.map((entry, i) => {
    const next = entries.findIndex((e, j) => j > i && e.name === entry.name);
    if (next < 0) return entry.name;
    const between = entries.slice(i, next).flatMap((e) => e.tags);
    const found = between.find((tag) => exists(`${entry.name}@${tag}`)) ?? between[0];
    return found === undefined ? entry.name : `${entry.name}@${found}`;
  });
}

export function detectSqitch(d: Discovery): void {
  for (const plan of [...d.all].filter((p) => basename(p) === 'sqitch.plan').sort()) {
    const root = dirname(plan);
    const text = d.read(plan);
    if (text === undefined) {
      d.problem(plan, 'sqitch.plan could not be read');
      continue;
    }
    const entries = parsePlan(text);
    const script = (kind: string, name: string) => join(root, `${kind}/${name}.sql`);
    const names = scriptNames(entries, (name) => d.has(script('deploy', name)));
    const migrations: Migration[] = [];
    entries.forEach((entry, i) => {
      const deploy = script('deploy', names[i]);
      const revert = script('revert', names[i]);
      const verify = script('verify', names[i]);
      if (!d.has(deploy)) {
        d.problem(plan, `sqitch.plan lists change "${entry.name}" but ${deploy} does not exist`);
        return;
      }
      const hasRevert = d.has(revert);
      const hasVerify = d.has(verify);
      d.claim(deploy, hasRevert ? revert : undefined, hasVerify ? verify : undefined);
      migrations.push({
        id: deploy,
        name: names[i],
        // sqitch orders by the plan alone; the position is the only version it has short of change ids.
        version: String(i + 1),
        layout: 'sqitch',
        root,
        up: wholeFile(deploy),
        // sqitch scripts carry their own BEGIN/COMMIT (the default templates do); sqitch does not wrap them.
        ...(hasRevert ? { down: wholeFile(revert), downTransaction: 'none' as const } : {}),
        downExpected: true,
        transaction: 'none',
        ...(hasVerify ? { verify: wholeFile(verify) } : {}),
      });
    });
    d.add({ root, layout: 'sqitch', migrations });
  }
}
