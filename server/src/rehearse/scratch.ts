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

/**
 * Fresh in-memory PGlite engines for a rehearsal, with the contrib extensions the migrations (and the prelude) create;
 * migrations get a generous statement timeout. `prelude`:
 * what the project's platform makes before its first migration (see platformPrelude), run on each new engine.
 */
export function pgliteFactory(migrations: readonly RehearsalMigration[], statementTimeoutMs = 120_000, prelude?: string): () => Promise<Engine> {
  const extensions = contribExtensions(prelude === undefined ? migrations : [{ name: 'prelude', up: prelude }, ...migrations]);
  return async () => {
    const engine = await createPgliteEngine({ extensions, statementTimeoutMs });
    try {
      if (prelude !== undefined) await engine.exec(prelude);
    } catch (err) {
      await engine.close();
      throw err;
    }
    return engine;
  };
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

/** DROP DATABASE, WITH (FORCE) on PG 13+ so a connection left open (an interrupted rehearsal's) cannot keep it. */
async function dropDatabase(admin: Engine, name: string): Promise<void> {
  const force = (await admin.serverVersion()) >= 130000 ? ' WITH (FORCE)' : '';
  await admin.exec(`DROP DATABASE IF EXISTS ${quoteIdent(name)}${force}`);
}

export const SCRATCH_PREFIX = 'pgdba_rehearse_';
/** The comment that marks a scratch database as pgdba's, with its creation time; only marked ones are ever cleaned up. */
const MARK = 'pgdba rehearsal scratch database, created ';
/** A marked scratch database older than this is left over from a run that could not clean up (killed, crashed). */
export const STALE_AFTER_MS = 60 * 60 * 1000;

export function scratchMark(created: Date): string {
  return `${MARK}${created.toISOString()}; dropped when its rehearsal ends`;
}

/** The creation time in a scratch database's mark, or undefined when the comment is not pgdba's mark. */
export function markedAt(comment: string | null | undefined): Date | undefined {
  if (!comment?.startsWith(MARK)) return undefined;
  const t = new Date(comment.slice(MARK.length).split(';')[0]);
  return Number.isNaN(t.getTime()) ? undefined : t;
}

/**
 * Drops scratch databases a killed run left behind: named pgdba_rehearse_*, marked by pgdba, and marked more than an
 * hour ago (a rehearsal still running elsewhere is younger). Databases without the mark are never touched.
 */
export async function dropStaleScratchDatabases(settings: ConnectionSettings, now = new Date()): Promise<string[]> {
  const admin = await connectPg(settings);
  const dropped: string[] = [];
  try {
    const r = await admin.query<{ name: string; comment: string | null }>(
      "SELECT datname AS name, shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE starts_with(datname, $1)",
      [SCRATCH_PREFIX],
    );
    for (const d of r.rows) {
      const at = markedAt(d.comment);
      if (!at || now.getTime() - at.getTime() < STALE_AFTER_MS) continue;
      await dropDatabase(admin, d.name);
      dropped.push(d.name);
    }
  } finally {
    await admin.close();
  }
  return dropped;
}

/**
 * A database `pgdba_rehearse_<random>` created on the server `settings` point at and marked with a comment; the
 * rehearsal runs there, and `drop()` removes it WITH (FORCE) (PG 13+), so an open rehearsal connection cannot keep it.
 */
export async function scratchDatabase(settings: ConnectionSettings, statementTimeoutMs = 120_000): Promise<ScratchDatabase> {
  const name = `${SCRATCH_PREFIX}${randomBytes(6).toString('hex')}`;
  const admin = await connectPg(settings);
  try {
    await admin.exec(`CREATE DATABASE ${quoteIdent(name)}`);
    await admin.exec(`COMMENT ON DATABASE ${quoteIdent(name)} IS '${scratchMark(new Date())}'`);
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
        await dropDatabase(a, name);
      } finally {
        await a.close();
      }
    },
  };
}
