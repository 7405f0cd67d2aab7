// Machine-readable report: {"diagnostics":[{file,line,column,endLine,endColumn,rule,severity,message,help}]} with 1-based positions.
import type { Reporter } from './types';

/** The keys written, in this order (JSON.stringify's allow-list: no copy of each finding, and nothing else leaks in). */
const KEYS = ['diagnostics', 'file', 'line', 'column', 'endLine', 'endColumn', 'rule', 'severity', 'message', 'help'];

export const jsonReporter: Reporter = (findings) => JSON.stringify({ diagnostics: findings }, KEYS) + '\n';
