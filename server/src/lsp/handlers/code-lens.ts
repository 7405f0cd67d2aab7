// textDocument/codeLens: pg_stat_statements figures above each statement of the document the dev database has run.
import type { CodeLens, CodeLensParams } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { fileStatements } from '../../core/observe/fingerprints';
import { lensesFor } from '../../core/observe/map';
import { Converter } from '../convert';
import type { ExplainFeature } from '../explain';
import { SHOW_TOP_QUERIES_COMMAND } from '../protocol';
import type { QueryStatsFeature } from '../query-stats';
import type { Session } from '../session';

export function codeLensHandler(session: Session, doc: (uri: string) => TextDocument | undefined, explain: ExplainFeature, stats: QueryStatsFeature) {
  return async (params: CodeLensParams): Promise<CodeLens[]> => {
    const document = doc(params.textDocument.uri);
    const at = document && session.locate(document.uri);
    const parsed = at?.workspace.parsed(at.path);
    if (!document || !at || !parsed) return [];
    const settings = await explain.settings.get(document.uri);
    if (!settings.queryStats.codeLens) return [];
    const figures = stats.figures(at.root, document.uri);
    if (!figures) return [];
    const convert = new Converter(document);
    return lensesFor(fileStatements(at.path, parsed), figures).map((l) => {
      const start = convert.position(l.statement.start);
      return { range: { start, end: start }, command: { title: l.title, command: SHOW_TOP_QUERIES_COMMAND, arguments: [l.figures.queryids[0]] } };
    });
  };
}
