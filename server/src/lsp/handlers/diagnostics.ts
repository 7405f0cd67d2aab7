// textDocument/diagnostic: pull diagnostics for one document; a failure becomes one diagnostic, never a dead server.
import {
  DiagnosticSeverity,
  DocumentDiagnosticReportKind,
  type Diagnostic,
  type DocumentDiagnosticParams,
  type DocumentDiagnosticReport,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { Converter } from '../convert';
import type { Session } from '../session';

/** `extra` adds diagnostics from elsewhere (plan findings); its failure never costs the lint results. */
export function diagnosticsHandler(
  session: Session,
  doc: (uri: string) => TextDocument | undefined,
  docsUrl: (rule: string) => string | undefined,
  extra?: (document: TextDocument) => Diagnostic[],
) {
  return (params: DocumentDiagnosticParams): DocumentDiagnosticReport => {
    const document = doc(params.textDocument.uri);
    if (!document) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
    const text = document.getText();
    try {
      const at = session.locate(document.uri);
      if (!at) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
      if (at.path === 'pgdba.json' || at.path.endsWith('/pgdba.json')) {
        const convert = new Converter(document);
        const items = session.configs.check(text).map((p) => ({
          range: convert.range(p.start, p.end),
          severity: DiagnosticSeverity.Error,
          source: 'pgdba',
          code: 'config-error',
          message: p.message,
        }));
        return { kind: DocumentDiagnosticReportKind.Full, items };
      }
      at.workspace.setOverlay(at.path, text);
      const convert = new Converter(document);
      const items = at.workspace.analyze(at.path).map((f) => convert.diagnostic(f, document.version, docsUrl));
      try {
        if (extra) items.push(...extra(document));
      } catch {
        // Plan diagnostics are advisory; the lint results stand on their own.
      }
      return { kind: DocumentDiagnosticReportKind.Full, items };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      // Out of stack is the input's doing (nesting past the parse-time limit), not a bug to report.
      const code = error instanceof RangeError ? 'too-deeply-nested' : 'internal-error';
      const why = code === 'too-deeply-nested' ? 'it is nested too deeply for analysis' : message;
      return {
        kind: DocumentDiagnosticReportKind.Full,
        items: [
          {
            range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
            severity: DiagnosticSeverity.Warning,
            source: 'pgdba',
            code,
            message: `pgdba could not analyse this file: ${why}`,
          },
        ],
      };
    }
  };
}
