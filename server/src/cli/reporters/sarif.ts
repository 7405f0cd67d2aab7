// SARIF 2.1.0 report for code-scanning tools.
import type { Reporter } from './types';

const LEVEL = { error: 'error', warning: 'warning', info: 'note', hint: 'note' } as const;

export const sarifReporter: Reporter = (findings, rules) => {
  const used = new Set(findings.map((f) => f.rule));
  const driverRules = rules
    .filter((r) => used.has(r.id))
    .map((r) => ({ id: r.id, shortDescription: { text: r.summary }, help: { text: r.help }, ...(r.docsPath ? { helpUri: r.docsPath } : {}) }));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'pgdba', informationUri: 'https://www.npmjs.com/package/pgdba', rules: driverRules } },
        results: findings.map((f) => ({
          ruleId: f.rule,
          level: LEVEL[f.severity],
          message: { text: f.help ? `${f.message} ${f.help}` : f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: f.file },
                region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
              },
            },
          ],
        })),
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
};
