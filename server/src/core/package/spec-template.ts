// Writes the package's DB_SPEC.md: the sections, each listing the evidence the package holds and the DBA gate items still open.
import { gate, gateChecklist, type GateId } from './gates';
import type { PackageLayout, SectionKey } from './naming';

/** What a spec section can point at: the inputs used, a package folder, or the rollback files inside migrations. */
export type EvidenceKey = 'inputs' | 'rollback' | SectionKey;

interface SpecSection {
  title: string;
  /** What the author still has to write; pgdba never writes this prose itself. */
  prompt?: string;
  gate?: GateId;
  items?: string[];
  evidence?: EvidenceKey;
}

const SECTIONS: readonly SpecSection[] = [
  { title: 'Summary', prompt: 'what changes, why, who asked for it, and the expected effect.' },
  { title: 'Inputs Used', gate: 'inputs', evidence: 'inputs' },
  {
    title: 'Data Model (ER & constraints)',
    prompt: 'the entities, keys and constraints these migrations add or change.',
    gate: 'migrations',
    items: ['forward', 'online', 'expand'],
    evidence: 'migrations',
  },
  {
    title: 'Index/Partition plan',
    prompt: 'which indexes and partitions are added or dropped, and the queries that need them.',
    gate: 'perf',
    items: ['indexes', 'partitioning'],
    evidence: 'perf',
  },
  { title: 'Perf budgets', gate: 'perf', items: ['plans', 'budgets'], evidence: 'perf' },
  { title: 'Security (roles/RLS/crypto)', gate: 'security', evidence: 'security' },
  { title: 'HA/DR', gate: 'ha_dr', evidence: 'ha_dr' },
  { title: 'Observability', gate: 'observability', evidence: 'observability' },
  {
    title: 'Risks',
    prompt: 'what can go wrong, how it would show, and how to back out.',
    gate: 'migrations',
    items: ['rollback', 'timeouts', 'rewrite', 'backfill'],
    evidence: 'rollback',
  },
  { title: 'Evidence and repo hygiene', gate: 'hygiene', evidence: 'evidence' },
];

export interface SpecInput {
  briefId: string;
  /** YYYY-MM-DD */
  date: string;
  layout: PackageLayout;
  /** Markdown lines naming everything pgdba or its fillers read (e.g. "`a/up.sql` → `DBA_…/a.up.sql`"). */
  inputs: string[];
  /** Package paths (relative to the manifest's folder) per section folder. */
  files: Record<SectionKey, string[]>;
  /** Facts the fillers found, e.g. "no rollback found for x.up.sql". */
  notes: { about: EvidenceKey; text: string }[];
}

function evidenceOf(input: SpecInput, key: EvidenceKey): string[] {
  if (key === 'inputs') return input.inputs;
  const rollbackPrefix = `${input.layout.rollback}/`;
  if (key === 'rollback') return input.files.migrations.filter((p) => p.startsWith(rollbackPrefix));
  if (key === 'migrations') return input.files.migrations.filter((p) => !p.startsWith(rollbackPrefix));
  return input.files[key];
}

function renderSection(s: SpecSection, input: SpecInput): string {
  const out = [`## ${s.title}`, ''];
  if (s.prompt) out.push(`_To be written by the change author: ${s.prompt}_`, '');
  if (s.evidence) {
    const files = evidenceOf(input, s.evidence);
    const notes = input.notes.filter((n) => n.about === s.evidence).map((n) => n.text);
    if (files.length && s.evidence === 'inputs') out.push('Read from the workspace:', '', ...files.map((f) => `- ${f}`), '');
    else if (files.length) out.push('Evidence in this package:', '', ...files.map((f) => `- \`${f}\``), '');
    if (notes.length) out.push('Found while filling the package:', '', ...notes.map((n) => `- ${n}`), '');
    if (!files.length) out.push('_Missing: the package holds nothing for this section yet._', '');
  }
  if (s.gate) {
    const verb = s.evidence && evidenceOf(input, s.evidence).length ? 'to confirm' : 'still to provide';
    out.push(`DBA gate "${gate(s.gate).title}", ${verb}:`, '', gateChecklist(s.gate, s.items), '');
  }
  return out.join('\n');
}

/** The spec Markdown for a new package. */
export function specMarkdown(input: SpecInput): string {
  const head = [
    `# DBA change package ${input.layout.base}`,
    '',
    `- Brief: ${input.briefId}`,
    `- Date: ${input.date}`,
    `- Manifest: \`${input.layout.manifest}\` (seal with \`pgdba package seal\`, check with \`pgdba package verify\`)`,
    '',
    '> Written by pgdba from what it could read in the workspace. A section marked _Missing_ had no data when the',
    '> package was created; its checklist names what the DBA gate still needs. pgdba never invents evidence.',
    '',
  ].join('\n');
  return `${head}\n${SECTIONS.map((s) => renderSection(s, input)).join('\n')}`;
}
