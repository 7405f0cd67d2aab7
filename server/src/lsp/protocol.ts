// Custom LSP methods between the pgdba client and server (pgdba/<name>), with their parameter and result types.
import { RequestType, NotificationType } from 'vscode-languageserver';

/** pgdba/status: the server tells the client what it is doing and how many findings it holds (for the status bar). */
export interface StatusParams {
  state: 'ready' | 'analysing' | 'error';
  findings: number;
  errors: number;
  engine?: string;
  message?: string;
}
export const statusNotification = new NotificationType<StatusParams>('pgdba/status');

/** pgdba/rules: the rule list with metadata (for the rules quick pick and docs). */
export interface RuleSummary {
  id: string;
  category: string;
  severity: string;
  summary: string;
  help: string;
  docsUrl?: string;
}
export const rulesRequest = new RequestType<void, RuleSummary[], void>('pgdba/rules');

/** pgdba/ruleDocs: the markdown documentation of one rule. */
export const ruleDocsRequest = new RequestType<{ rule: string }, string | null, void>('pgdba/ruleDocs');
