// Scratch engines for rehearsals: a fresh embedded PGlite, or a throwaway database created on a dev server and dropped afterwards.
import { randomBytes } from 'node:crypto';
import { as } from '../core/parse/ast';
import { parseSql } from '../core/parse/parse';
import { connectPg, createPgliteEngine, type ConnectionSettings, type Engine } from '../engine';
import { PGLITE_CONTRIB } from '../engine/pglite-extensions';
import type { RehearsalMigration } from './rehearse';

/** CREATE EXTENSION … CASCADE needs these loaded too. */
const DEPENDS: Record<string, string[]> = { earthdistance: ['cube'] };

/** The PGlite contrib extensions the migrations create (PGlite loads only what it is told to). */
export function contribExtensions(migrations: readonly RehearsalMigration[]): string[] {
  const names = new Set<string>();
  for (const m of migrations) {
    for (const text of [m.up, m.down ?? '']) {
      for (const s of parseSql(text).statements) {
        const ext = as<{ extname?: string }>(s.node, 'CreateExtensionStmt')?.extname;
        if (!ext || !PGLITE_CONTRIB[ext]) continue;
        for (const d of DEPENDS[ext] ?? []) names.add(d);
        names.add(ext);
      }
    }
  }
  return [...names].sort();
}

/** A fresh in-memory PGlite with the extensions the migrations need; migrations get a generous statement timeout. */
export function pgliteFactory(migrations: readonly RehearsalMigration[], statementTimeoutMs = 120_000): () => Promise<Engine> {
  return () => createPgliteEngine({ extensions: contribExtensions(migrations), statementTimeoutMs });
}

export interface ScratchDatabase {
  factory: () => Promise<Engine>;
  /** Drops the scratch database (after the rehearsal closed its engine). */
  drop(): Promise<void>;
  name: string;
}

function quoteIdent(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

/**
 * A database `pgdba_rehearse_<random>` created on the server `settings` point at; the rehearsal runs there, and
 * `drop()` removes it (WITH (FORCE) is PG 13+; older servers get a plain DROP after the engine closed).
 */
export async function scratchDatabase(settings: ConnectionSettings, statementTimeoutMs = 120_000): Promise<ScratchDatabase> {
  const name = `pgdba_rehearse_${randomBytes(6).toString('hex')}`;
  const admin = await connectPg(settings);
  try {
    await admin.exec(`CREATE DATABASE ${quoteIdent(name)}`);
  } finally {
    await admin.close();
  }
  // An explicit database beats the one in the URL (libpq's order).
  const target: ConnectionSettings = { ...settings, database: name };
  return {
    name,
    factory: () => connectPg({ ...target, statementTimeoutMs }),
    async drop() {
      const a = await connectPg(settings);
      try {
        await a.exec(`DROP DATABASE IF EXISTS ${quoteIdent(name)}`);
      } finally {
        await a.close();
      }
    },
  };
}
