// Code intelligence requests (completion, definition, references, symbols, signature help, identifier hover): convert params, call core/intel, convert results.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CompletionItemKind,
  SymbolKind,
  type CompletionItem,
  type CompletionParams,
  type DocumentSymbol,
  type DocumentSymbolParams,
  type Location,
  type ReferenceParams,
  type SignatureHelp,
  type SignatureHelpParams,
  type TextDocumentPositionParams,
  type WorkspaceSymbol,
  type WorkspaceSymbolParams,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { complete, type CompletionKind } from '../../core/intel/completion';
import { objectMarkdown } from '../../core/intel/hover';
import { intelFile, intelProject } from '../../core/intel/project';
import { definitionOf, objectAt, referencesTo, type Located as Place } from '../../core/intel/resolve';
import { signatureHelp } from '../../core/intel/signature';
import { documentSymbols, workspaceSymbols, type OutlineSymbol, type SymbolKind as CoreSymbolKind } from '../../core/intel/symbols';
import { Converter, lineIndexMap } from '../convert';
import type { Located, Session } from '../session';

const SYMBOL: Record<CoreSymbolKind, SymbolKind> = {
  table: SymbolKind.Class,
  view: SymbolKind.Interface,
  column: SymbolKind.Field,
  index: SymbolKind.Key,
  function: SymbolKind.Function,
  type: SymbolKind.Enum,
  policy: SymbolKind.Event,
  trigger: SymbolKind.Event,
  sequence: SymbolKind.Number,
  schema: SymbolKind.Namespace,
  extension: SymbolKind.Package,
  alter: SymbolKind.Class,
  query: SymbolKind.Method,
};
const COMPLETION: Record<CompletionKind, CompletionItemKind> = {
  table: CompletionItemKind.Class,
  view: CompletionItemKind.Interface,
  column: CompletionItemKind.Field,
  function: CompletionItemKind.Function,
  keyword: CompletionItemKind.Keyword,
  'enum-value': CompletionItemKind.EnumMember,
  command: CompletionItemKind.Keyword,
  schema: CompletionItemKind.Module,
  cte: CompletionItemKind.Reference,
};

type GetDoc = (uri: string) => TextDocument | undefined;

export class IntelHandlers {
  constructor(
    private readonly session: Session,
    private readonly doc: GetDoc,
  ) {}

  /** The document, where it sits in its workspace, and the cursor offset. */
  private at(params: TextDocumentPositionParams) {
    const document = this.doc(params.textDocument.uri);
    const at = document && this.session.locate(document.uri);
    if (!document || !at) return undefined;
    const file = intelFile(at.workspace, at.path);
    return file && { document, at, file, project: intelProject(at.workspace, at.path), offset: new Converter(document).offset(params.position) };
  }

  /** An LSP location for an offset in any file of the workspace (open or on disk). */
  private location(at: Located, place: Place): Location | undefined {
    const text = at.workspace.text(place.file);
    if (text === undefined) return undefined;
    const convert = new Converter(lineIndexMap(text));
    const uri = at.root.endsWith(':') ? place.file : pathToFileURL(join(at.root, place.file)).toString();
    return { uri, range: convert.range(place.start, place.end) };
  }

  completion = (params: CompletionParams): CompletionItem[] => {
    const x = this.at(params);
    if (!x) return [];
    const r = complete(x.project, x.file, x.offset);
    const range = new Converter(x.document).range(r.start, r.end);
    return r.items.map((i) => ({
      label: i.label,
      kind: COMPLETION[i.kind],
      detail: i.detail,
      documentation: i.documentation,
      sortText: `${i.rank}${i.label}`,
      textEdit: { range, newText: i.insertText ?? i.label },
    }));
  };

  definition = (params: TextDocumentPositionParams): Location[] => {
    const x = this.at(params);
    const object = x && objectAt(x.project, x.file, x.offset)?.object;
    const def = x && object && definitionOf(x.project.catalog, object);
    const loc = x && def && this.location(x.at, def);
    return loc ? [loc] : [];
  };

  references = (params: ReferenceParams): Location[] => {
    const x = this.at(params);
    const object = x && objectAt(x.project, x.file, x.offset)?.object;
    if (!x || !object) return [];
    return referencesTo(x.project, object, params.context.includeDeclaration).flatMap((p) => this.location(x.at, p) ?? []);
  };

  documentSymbol = (params: DocumentSymbolParams): DocumentSymbol[] => {
    const document = this.doc(params.textDocument.uri);
    const at = document && this.session.locate(document.uri);
    const parsed = at?.workspace.parsed(at.path);
    if (!document || !parsed) return [];
    const convert = new Converter(document);
    const toLsp = (s: OutlineSymbol): DocumentSymbol => ({
      name: s.name || '(unnamed)',
      detail: s.detail,
      kind: SYMBOL[s.kind],
      range: convert.range(s.start, s.end),
      selectionRange: convert.range(s.selectionStart, s.selectionEnd),
      children: s.children?.map(toLsp),
    });
    return documentSymbols(parsed).map(toLsp);
  };

  workspaceSymbol = (params: WorkspaceSymbolParams): WorkspaceSymbol[] => {
    const out: WorkspaceSymbol[] = [];
    for (const { root, workspace } of this.session.allWorkspaces()) {
      const at: Located = { workspace, root, path: '' };
      for (const s of workspaceSymbols(workspace.catalog(), params.query)) {
        const location = this.location(at, s.loc);
        if (location) out.push({ name: s.name, kind: SYMBOL[s.kind], containerName: s.container, location });
      }
    }
    return out;
  };

  signatureHelp = (params: SignatureHelpParams): SignatureHelp | null => {
    const x = this.at(params);
    const r = x && signatureHelp(x.project.catalog, x.file, x.offset);
    if (!r) return null;
    return {
      signatures: r.signatures.map((s) => ({ label: s.label, documentation: s.documentation, parameters: s.parameters.map((p) => ({ label: p })) })),
      activeSignature: 0,
      activeParameter: r.activeParameter,
    };
  };

  /** The hover section for the name under the cursor (table, column, function, index, type). */
  hover = (document: TextDocument, offset: number): string | undefined => {
    const at = this.session.locate(document.uri);
    const file = at && intelFile(at.workspace, at.path);
    if (!at || !file) return undefined;
    const project = intelProject(at.workspace, at.path);
    const object = objectAt(project, file, offset)?.object;
    if (!object) return undefined;
    const tenantColumns = at.root.endsWith(':') ? ['tenant_id'] : this.session.configFor(at.root, at.path).tenant.columns;
    return objectMarkdown(project, object, {
      tenantColumns,
      link: (f, o) => {
        const loc = this.location(at, { file: f, start: o, end: o });
        return loc ? `${loc.uri}#L${loc.range.start.line + 1}` : f;
      },
    });
  };
}
