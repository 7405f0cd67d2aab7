// Signature help: the function call around the cursor, its overloads from the project's catalog and PostgreSQL's built-ins, and the argument being typed.
import type { Catalog } from '../catalog/types';
import { ByteOffsetMap } from '../parse/offsets';
import { scanTokens } from '../parse/parse';
import { builtinFunctions, displayType, splitArgs } from './builtins';
import { identName, isIdentToken } from './refs';
import type { IntelFile } from './resolve';

export interface Signature {
  label: string;
  parameters: string[];
  documentation?: string;
}

export interface SignatureResult {
  signatures: Signature[];
  activeParameter: number;
}

/** The call whose argument list holds `offset`: function name and index of the argument being typed. */
function callAt(text: string, base: number, offset: number): { schema?: string; name: string; arg: number } | undefined {
  const before = text.slice(0, offset - base);
  const tokens = (scanTokens(before, new ByteOffsetMap(before), base) ?? []).filter((t) => t.name !== 'SQL_COMMENT' && t.name !== 'C_COMMENT');
  let depth = 0;
  let arg = 0;
  for (let i = tokens.length - 1; i >= 0; i--) {
    const t = tokens[i].text;
    if (t === ')') depth++;
    else if (t === ',' && depth === 0) arg++;
    else if (t === '(') {
      if (depth > 0) {
        depth--;
        continue;
      }
      const name = tokens[i - 1];
      if (!isIdentToken(name)) return undefined;
      const schema = tokens[i - 2]?.text === '.' && isIdentToken(tokens[i - 3]) ? identName(tokens[i - 3].text) : undefined;
      return { schema, name: identName(name.text), arg };
    } else if (t === ';') return undefined;
  }
  return undefined;
}

/** Signatures of the call around the cursor, or undefined outside a call. */
export function signatureHelp(catalog: Catalog, file: IntelFile, offset: number, searchPath = ['public']): SignatureResult | undefined {
  const chunk = file.parsed.chunks.find((c) => c.start <= offset && offset <= c.end + 1) ?? { start: 0, end: file.parsed.text.length };
  const call = callAt(file.parsed.text.slice(chunk.start, offset), chunk.start, offset);
  if (!call) return undefined;
  const signatures: Signature[] = [];
  for (const schema of call.schema ? [call.schema] : searchPath) {
    for (const f of catalog.functions.get(`${schema}.${call.name}`) ?? []) {
      const params = f.argTypes.map(displayType);
      signatures.push({
        label: `${f.schema}.${f.name}(${params.join(', ')})${f.returns ? ` → ${displayType(f.returns)}` : ''}`,
        parameters: params,
        documentation: f.comment,
      });
    }
  }
  if (!call.schema || call.schema === 'pg_catalog') {
    for (const b of builtinFunctions().get(call.name) ?? []) {
      signatures.push({ label: `${b.name}(${b.args}) → ${b.result}`, parameters: splitArgs(b.args), documentation: b.doc || undefined });
    }
  }
  if (!signatures.length) return undefined;
  return { signatures, activeParameter: call.arg };
}
