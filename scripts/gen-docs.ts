// Writes docs/rules/<id>.md and docs/rules/README.md from rule metadata; `--check` fails when they are out of date.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ruleMarkdown, rulesIndexMarkdown } from '../server/src/core/docs';
import { rules } from '../server/src/core/rules';

const dir = join(__dirname, '..', 'docs', 'rules');
const check = process.argv.includes('--check');
const wanted = new Map<string, string>([['README.md', rulesIndexMarkdown(rules)], ...rules.map((r) => [`${r.id}.md`, ruleMarkdown(r)] as [string, string])]);
mkdirSync(dir, { recursive: true });
const stale: string[] = [];
for (const [name, text] of wanted) {
  const path = join(dir, name);
  let old = '';
  try {
    old = readFileSync(path, 'utf8');
  } catch {
    // New file.
  }
  if (old === text) continue;
  if (check) stale.push(name);
  else writeFileSync(path, text);
}
if (stale.length) {
  console.error(`docs/rules is out of date (${stale.join(', ')}): run npm run docs`);
  process.exit(1);
}
console.log(`${wanted.size} rule docs ${check ? 'checked' : 'written'}`);
