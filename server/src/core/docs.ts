// Rule documentation rendered from rule metadata: used for docs/rules/*.md, hovers and `pgdba rules`.
import type { Rule } from './rules/rule';

const fence = (sql: string) => '```sql\n' + sql.trim() + '\n```';

export function ruleMarkdown(rule: Rule): string {
  const lines = [
    `# ${rule.id}`,
    '',
    `**${rule.docs.summary}**`,
    '',
    `| category | default severity | on by default | fix | applies to |${rule.minPg ? ' min PostgreSQL |' : ''}`,
    `| --- | --- | --- | --- | --- |${rule.minPg ? ' --- |' : ''}`,
    `| ${rule.category} | ${rule.severity} | ${rule.recommended ? 'yes' : 'no'} | ${rule.fix} | ${rule.scope === 'all' ? 'all SQL files' : rule.scope === 'migration' ? 'migration files' : 'non-migration SQL'} |${rule.minPg ? ` ${rule.minPg} |` : ''}`,
    '',
    '## Why',
    '',
    rule.docs.why,
    '',
    '## How to fix',
    '',
    rule.docs.help,
    '',
    '## Flagged',
    '',
    ...rule.docs.bad.flatMap((b) => [fence(b), '']),
    '## Not flagged',
    '',
    ...rule.docs.good.flatMap((g) => [fence(g), '']),
  ];
  if (rule.sources?.length) {
    lines.push('## Peers', '', ...rule.sources.map((s) => `- ${s.tool} \`${s.rule}\` (${s.relation})`), '');
  }
  lines.push('## Suppress', '', fence(`-- pgdba-ignore ${rule.id} -- why this is fine here`), '');
  return lines.join('\n');
}

export function rulesIndexMarkdown(rules: readonly Rule[]): string {
  const rows = rules.map((r) => `| [${r.id}](${r.id}.md) | ${r.category} | ${r.severity} | ${r.recommended ? 'yes' : 'no'} | ${r.fix} | ${r.docs.summary} |`);
  return ['# pgdba rules', '', '| rule | category | severity | default | fix | summary |', '| --- | --- | --- | --- | --- | --- |', ...rows, ''].join('\n');
}
