// The one list of what builds a project's schema: migrations in apply order, then schema files; never query files.
import type { Migration, SqlSection } from '../migrations';
import type { ParsedSql, Statement } from '../parse/parse';
import { changesCatalog } from '../workspace/ddl';
import type { Project } from './types';

export interface SchemaSource {
  /** The migration's id, or the schema file's path. */
  id: string;
  path: string;
  /** For a migration: its up part (a section of a dbmate file). */
  section?: SqlSection;
  /**
   * 'migration': every statement runs, as the migration tool would run it (data migrations included).
   * 'schema': only statements that change the schema; a dump's `SELECT set_config(…)` or `INSERT` rows never run.
   */
  kind: 'migration' | 'schema';
  migration?: Migration;
}

/**
 * What builds the project's schema, in order. The static catalog, the PGlite build, `--db` rehearsal and EXPLAIN all
 * take it from here. A project with neither migrations nor schema files (a folder of plain SQL) takes the
 * schema-changing statements of its own files: their CREATE TABLEs, never their queries.
 */
export function schemaSources(project: Project): SchemaSource[] {
  const out: SchemaSource[] = project.migrations.map((m) => ({ id: m.id, path: m.up.path, section: m.up, kind: 'migration', migration: m }));
  for (const path of project.schema) out.push({ id: path, path, kind: 'schema' });
  if (out.length === 0) for (const path of project.queries) out.push({ id: path, path, kind: 'schema' });
  return out;
}

/** The statements of a parsed source file that build the schema. */
export function sourceStatements(source: SchemaSource, parsed: ParsedSql): Statement[] {
  const { section } = source;
  return parsed.statements.filter(
    (s) => (!section || (s.start >= section.start && s.start < section.end)) && (source.kind === 'migration' || changesCatalog(s.kind)),
  );
}

/**
 * The SQL an engine runs for a source. A migration's up part is cut out as is; in a schema file every statement that
 * does not build the schema is blanked (newlines kept), so positions in what the engine reports stay the file's.
 */
export function sourceSql(source: SchemaSource, text: string, parsed: ParsedSql | undefined): string {
  if (source.kind === 'migration') {
    const start = Math.max(0, Math.min(source.section?.start ?? 0, text.length));
    return text.slice(start, Math.max(start, Math.min(source.section?.end ?? text.length, text.length)));
  }
  if (!parsed) throw new Error(`sourceSql: ${source.path} is a schema file and needs its parse`);
  const keep: { start: number; end: number }[] = sourceStatements(source, parsed);
  if (keep.length === parsed.statements.length && parsed.errors.length === 0 && !parsed.psqlCommands?.length) return text;
  // Text that does not parse is kept where it is, so the engine build reports it as a skipped statement (with its
  // line) instead of the schema silently missing what it declared.
  const statements = [...keep];
  for (const e of parsed.errors) {
    // Its whole line (the report shows it), but not over a statement that parses on the same line.
    let start = text.lastIndexOf('\n', e.start - 1) + 1;
    let end = text.indexOf('\n', e.start);
    if (end < 0) end = text.length;
    for (const st of statements) {
      if (st.end <= e.start) start = Math.max(start, st.end);
      else if (st.start >= e.start) end = Math.min(end, st.start);
    }
    keep.push({ start, end: Math.max(end, e.end) });
  }
  const chars = text.replace(/[^\n]/g, ' ').split('');
  for (const s of keep) {
    for (let i = s.start; i < s.end; i++) chars[i] = text[i];
    // Statement ranges stop before the semicolon: put one in the first blank after it so statements stay apart.
    let j = s.end;
    while (j < chars.length && chars[j] === '\n') j++;
    // (Only into a blank: text kept right after it, such as an unparsable line that has its own semicolon, stays.)
    if (j < chars.length) {
      if (chars[j] === ' ') chars[j] = ';';
    } else chars.push(';');
  }
  return chars.join('');
}
