// DBA packages in the editor: `package verify` findings as diagnostics on a manifest, and "New DBA package".
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import { DiagnosticSeverity, DocumentDiagnosticReportKind, type Connection, type Diagnostic, type DocumentDiagnosticReport } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { formatProblem, parseManifest, serializeManifest } from '../core/package/manifest';
import { PackageError } from '../core/package/naming';
import { sealPackage, verifyPackage } from '../core/package/verify';
import { nodePackageReader } from '../node/package-reader';
import { securityFiller } from '../package/fillers/security';
import { createPackage } from '../package/new-package';
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
    for (const p of parsed.problems)
      items.push({ range: at(p.path), severity: DiagnosticSeverity.Error, source: 'pgdba', code: 'package-manifest', message: p.message });
    return { kind: DocumentDiagnosticReportKind.Full, items };
  }
  const fsPath = URI.parse(document.uri).fsPath;
  const result = await verifyPackage(parsed.manifest, basename(fsPath), nodePackageReader(dirname(fsPath)));
  for (const f of result.findings) {
    const severity = f.kind === 'changed' || f.kind === 'missing' || f.kind === 'refused' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning;
    items.push({ range: at(f.keyPath), severity, source: 'pgdba', code: `package-${f.kind}`, message: `${f.path}: ${f.message}` });
  }
  return { kind: DocumentDiagnosticReportKind.Full, items };
}

export function attachPackages(connection: Connection): void {
  connection.onRequest(newPackageRequest, async ({ folderUri, briefId, date, dir: sub }): Promise<NewPackageResult> => {
    const dir = URI.parse(folderUri).fsPath;
    try {
      // The editor's package: the workspace's security evidence; the other fillers need flags only the CLI takes.
      const made = await createPackage({ briefId, date, dir: sub ?? '.', cwd: dir, fillers: [securityFiller], flags: { security: ['.'] } });
      const files = Object.values(made.counts).reduce((a, b) => a + b, 0);
      const notes = made.notes.length ? `\n${made.notes.map((n) => `- ${n}`).join('\n')}` : '';
      return { ok: true, message: `Created ${made.layout.base} (${files} files listed).${notes}`, specUri: URI.file(made.specPath).toString() };
    } catch (e) {
      if (e instanceof PackageError) return { ok: false, message: e.message };
      throw e;
    }
  });
  connection.onRequest(sealPackageRequest, async ({ manifestUri }): Promise<SealPackageResult> => {
    const path = URI.parse(manifestUri).fsPath;
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      return { ok: false, message: `cannot read ${basename(path)}: ${(e as NodeJS.ErrnoException).code ?? String(e)}` };
    }
    const parsed = parseManifest(text);
    if (!parsed.ok) return { ok: false, message: `${basename(path)}: invalid manifest\n${parsed.problems.map((p) => formatProblem(p)).join('\n')}` };
    const result = await sealPackage(parsed.manifest, basename(path), nodePackageReader(dirname(path)));
    if (!result.manifest) {
      const lines = [...result.refused.map((r) => `refused ${r.reason}`), ...result.missing.map((m) => `missing ${m}`)];
      return {
        ok: false,
        message: `${basename(path)}: not sealed, ${result.refused.length ? 'the package holds files pgdba will not seal' : 'listed files are missing'}:\n${lines.join('\n')}`,
      };
    }
    writeFileSync(path, serializeManifest(result.manifest));
    const extra = result.extra
      .map((e) => `\nwarning: ${e} is in the package but not listed in the manifest; verify will fail until it is listed or removed`)
      .join('');
    return { ok: true, message: `sealed ${Object.keys(result.manifest.hashes ?? {}).length} files in ${basename(path)}${extra}` };
  });
}
