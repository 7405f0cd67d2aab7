// Generates package.json contributes.configuration from the editor settings schema and schemas/pgdba.schema.json
// from the pgdba.json schema (both zod, in server/src/core/config.ts); `--check` fails when either is out of date.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configJsonSchema, editorSettingsSchema } from '../server/src/core/config';
import { z } from 'zod';

const root = join(__dirname, '..');
const check = process.argv.includes('--check');

type JsonSchema = {
  type?: string;
  properties?: Record<string, JsonSchema>;
  default?: unknown;
  description?: string;
  enum?: unknown[];
  items?: JsonSchema;
  minimum?: number;
  maximum?: number;
};

function flatten(schema: JsonSchema, prefix: string, out: Record<string, unknown>): void {
  for (const [key, prop] of Object.entries(schema.properties ?? {})) {
    const id = `${prefix}.${key}`;
    if (prop.type === 'object' && prop.properties) {
      flatten(prop, id, out);
      continue;
    }
    const entry: Record<string, unknown> = { type: prop.type, default: prop.default, description: prop.description };
    if (prop.enum) entry.enum = prop.enum;
    if (prop.items) entry.items = { type: prop.items.type };
    if (prop.minimum !== undefined) entry.minimum = prop.minimum;
    if (prop.maximum !== undefined) entry.maximum = prop.maximum;
    if (id.startsWith('pgdba.database.')) entry.scope = 'resource';
    out[id] = entry;
  }
}

export function configurationContribution(): unknown {
  const schema = z.toJSONSchema(editorSettingsSchema, { io: 'input' }) as JsonSchema;
  const properties: Record<string, unknown> = {};
  flatten(schema, 'pgdba', properties);
  return { title: 'pgdba', properties };
}

function sync(path: string, text: string, stale: string[]): void {
  let old = '';
  try {
    old = readFileSync(path, 'utf8');
  } catch {
    // New file.
  }
  if (old === text) return;
  if (check) stale.push(path);
  else writeFileSync(path, text);
}

if (require.main === module) {
  const stale: string[] = [];
  const pkgPath = join(root, 'package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8'));
  pkg.contributes = { ...pkg.contributes, configuration: configurationContribution() };
  sync(pkgPath, JSON.stringify(pkg, null, 2) + '\n', stale);
  mkdirSync(join(root, 'schemas'), { recursive: true });
  sync(join(root, 'schemas', 'pgdba.schema.json'), JSON.stringify(configJsonSchema(), null, 2) + '\n', stale);
  if (stale.length) {
    console.error(`out of date: ${stale.join(', ')}: run npm run gen:manifest`);
    process.exit(1);
  }
  console.log(check ? 'manifest up to date' : 'manifest written');
}
