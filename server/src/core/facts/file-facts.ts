// Per-file knowledge that several rules need, computed lazily once per file analysis and never imported rule-to-rule.
import type { Catalog } from '../catalog/types';
import type { Config } from '../config';
import type { ParsedSql, Statement } from '../parse/parse';
import type { FileInfo } from '../workspace/file-info';

export interface FactContext {
  file: FileInfo;
  parsed: ParsedSql;
  statements: Statement[];
  catalog: Catalog;
  config: Config;
}

/** A named, lazily computed fact about one file. Define facts with `defineFact` in core/facts/<name>.ts. */
export interface Fact<T> {
  id: string;
  compute(ctx: FactContext, facts: FileFacts): T;
}

export function defineFact<T>(id: string, compute: (ctx: FactContext, facts: FileFacts) => T): Fact<T> {
  return { id, compute };
}

export class FileFacts {
  private readonly cache = new Map<string, unknown>();

  constructor(readonly ctx: FactContext) {}

  get<T>(fact: Fact<T>): T {
    if (this.cache.has(fact.id)) return this.cache.get(fact.id) as T;
    const value = fact.compute(this.ctx, this);
    this.cache.set(fact.id, value);
    return value;
  }
}
