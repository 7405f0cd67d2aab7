// The only place that turns core string offsets into LSP positions and core findings into LSP diagnostics (and back).
import { DiagnosticSeverity, type Diagnostic, type Position, type Range, type TextDocumentContentChangeEvent, type TextEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding } from '../core/analyze';
import type { Severity } from '../core/config';
import { LineIndex } from '../core/parse/lines';
import type { Edit, Fix } from '../core/rules/rule';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** What a diagnostic carries so code actions need no server state. */
export interface DiagnosticData {
  rule: string;
  /** The document version the edits were computed for. */
  version: number;
  fix?: { title: string; edits: TextEdit[] };
  suppress?: { statement: TextEdit; file: TextEdit };
  help?: string;
}

/** Offset ↔ position mapping of one document version (a TextDocument already keeps its line starts). */
export interface PositionMap {
  positionAt(offset: number): Position;
  offsetAt(position: Position): number;
}

export function lineIndexMap(text: string): PositionMap {
  const lines = new LineIndex(text);
  return { positionAt: (o) => lines.position(o), offsetAt: (p) => lines.offset(p.line, p.character) };
}

/**
 * A change whose range lies inside the document. vscode-languageserver-textdocument 1.0.16 clamps a range past the
 * end when it edits the text but not when it updates its line starts: a range on a line beyond the last one (which
 * clients send, e.g. after CR line ends) left holes in them, and later positions came out as `character: null`.
 */
export function clampChange(doc: TextDocument, change: TextDocumentContentChangeEvent): TextDocumentContentChangeEvent {
  if (!('range' in change) || !change.range) return change;
  const start = doc.offsetAt(change.range.start);
  const end = doc.offsetAt(change.range.end);
  return { range: { start: doc.positionAt(Math.min(start, end)), end: doc.positionAt(Math.max(start, end)) }, text: change.text };
}

/** TextDocument.update with every change clamped to the document as it stands when that change applies. */
export function updateDocument(doc: TextDocument, changes: TextDocumentContentChangeEvent[], version: number): TextDocument {
  for (const change of changes) TextDocument.update(doc, [clampChange(doc, change)], version);
  return TextDocument.update(doc, [], version);
}

export class Converter {
  constructor(private readonly map: PositionMap) {}

  /** A finding's offset (clamped to the text by the map) as a position; never NaN, which JSON would send as null. */
  position(offset: number): Position {
    return this.map.positionAt(Number.isFinite(offset) ? Math.trunc(offset) : 0);
  }

  range(start: number, end: number): Range {
    return { start: this.position(start), end: this.position(Math.max(start, end)) };
  }

  offset(p: Position): number {
    return this.map.offsetAt(p);
  }

  edit(e: Edit): TextEdit {
    return { range: this.range(e.start, e.end), newText: e.newText };
  }

  fix(f: Fix): { title: string; edits: TextEdit[] } {
    return { title: f.title, edits: f.edits.map((e) => this.edit(e)) };
  }

  diagnostic(f: Finding, version: number, docsUrl: (rule: string) => string | undefined): Diagnostic {
    const data: DiagnosticData = {
      rule: f.rule,
      version,
      fix: f.fix ? this.fix(f.fix) : undefined,
      suppress: f.suppress ? { statement: this.edit(f.suppress.statement), file: this.edit(f.suppress.file) } : undefined,
      help: f.help,
    };
    const href = docsUrl(f.rule);
    return {
      range: this.range(f.start, f.end),
      severity: SEVERITY[f.severity],
      source: 'pgdba',
      code: f.rule,
      ...(href ? { codeDescription: { href } } : {}),
      message: f.help ? `${f.message}\n${f.help}` : f.message,
      data,
    };
  }
}
