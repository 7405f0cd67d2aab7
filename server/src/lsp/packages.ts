// DBA packages in the editor: `package verify` findings as diagnostics on a manifest, and "New DBA package".
import { basename, dirname, join } from 'node:path';
import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import { DiagnosticSeverity, DocumentDiagnosticReportKind, type Connection, type Diagnostic, type DocumentDiagnosticReport } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { nodePackageReader, runPackage } from '../cli/commands/package';
import { parseManifest } from '../core/package/manifest';
import { verifyPackage } from '../core/package/verify';
import { Converter } from './convert';
import { newPackageRequest, sealPackageRequest, type NewPackageResult, type SealPackageResult } from './protocol';

/** `DBA_<BriefID>_<YYYYMMDD>_package.json` */
export function isManifest(uri: string): boolean {
  return /(^|\/)DBA_[A-Za-z0-9_-]+_\d{8}_package\.json$/.test(uri);
}

/** verify's findings (and schema problems) placed on the manifest key they belong to. */
export async function manifestDiagnostics(document: TextDocument): Promise<DocumentDiagnosticReport> {
  const text = document.getText();
  const convert = new Converter(document);
  const tree = parseTree(text);
  const at = (path: (string | number)[]) => {
    for (let n = path.length; n >= 0 && tree; n--) {
      const node = findNodeAtLocation(tree, path.slice(0, n));
      if (node) return convert.range(node.offset, node.offset + node.length);
    }
    return convert.range(0, 1);
  };
  const items: Diagnostic[] = [];
  const parsed = parseManifest(text);
  if (!parsed.ok) {
    for (const p of parsed.problems) items.push({ range: at(p.path), severity: DiagnosticSeverity.Error, source: 'pgdba', code: 'package-manifest', message: p.message });
    return { kind: DocumentDiagnosticReportKind.Full, items };
  }
  const fsPath = URI.parse(document.uri).fsPath;
  const result = await verifyPackage(parsed.manifest, basename(fsPath), nodePackageReader(dirname(fsPath)));
  for (const f of result.findings) {
    const severity = f.kind === 'changed' || f.kind === 'missing' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning;
    items.push({ range: at(f.keyPath), severity, source: 'pgdba', code: `package-${f.kind}`, message: `${f.path}: ${f.message}` });
  }
  return { kind: DocumentDiagnosticReportKind.Full, items };
}

export function attachPackages(connection: Connection): void {
  connection.onRequest(newPackageRequest, async ({ folderUri, briefId, date, dir: sub }): Promise<NewPackageResult> => {
    let out = '';
    let err = '';
    const dir = URI.parse(folderUri).fsPath;
    const argv = ['new', briefId, ...(date ? ['--date', date] : []), ...(sub ? ['--dir', sub] : []), '--security', '.'];
    const code = await runPackage(argv, { cwd: dir, stdout: (s) => void (out += s), stderr: (s) => void (err += s) });
    const spec = /^created (DBA_\S+) in/m.exec(out)?.[1];
    return { ok: code === 0, message: (code === 0 ? out : err || out).trim(), specUri: spec ? URI.file(join(dir, sub ?? '', `${spec}_DB_SPEC.md`)).toString() : undefined };
  });
  connection.onRequest(sealPackageRequest, async ({ manifestUri }): Promise<SealPackageResult> => {
    let out = '';
    let err = '';
    const path = URI.parse(manifestUri).fsPath;
    const code = await runPackage(['seal', basename(path)], { cwd: dirname(path), stdout: (s) => void (out += s), stderr: (s) => void (err += s) });
    return { ok: code === 0, message: (code === 0 ? out : err || out).trim() };
  });
}
