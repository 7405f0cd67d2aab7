// Editor settings (pgdba.*) pulled from the client per resource, validated with the zod schema, cached until they change.
import { editorSettingsSchema, parseKeyByKey, type EditorSettings } from '../core/config';

export interface ValidatedSettings {
  settings: EditorSettings;
  /** One line per bad key; that key alone falls back to its default. */
  problems: string[];
}

/** Never coerces a bad value: each invalid or unknown key is reported and replaced by its default, the rest applies. */
export function validateEditorSettings(input: unknown): ValidatedSettings {
  const { value, problems } = parseKeyByKey(editorSettingsSchema, input);
  const name = (path: (string | number)[]) => ['pgdba', ...path.map(String)].join('.');
  return { settings: value, problems: problems.map((p) => (p.unknownKey ? `unknown setting ${name(p.path)}` : `${name(p.path)}: ${p.message}`)) };
}

/**
 * Per-resource cache. `fetch` asks the client (workspace/configuration); without one (a client that cannot answer)
 * every resource gets the defaults. Problems are announced once each through `warn`, not on every lookup.
 */
export class SettingsStore {
  private readonly pending = new Map<string, Promise<EditorSettings>>();
  private readonly resolved = new Map<string, EditorSettings>();
  private readonly announced = new Set<string>();

  constructor(
    private readonly fetch: ((scopeUri: string) => Promise<unknown>) | undefined,
    private readonly warn: (message: string) => void,
  ) {}

  get(scopeUri: string): Promise<EditorSettings> {
    let p = this.pending.get(scopeUri);
    if (!p) {
      p = this.load(scopeUri);
      this.pending.set(scopeUri, p);
    }
    return p;
  }

  /** The cached settings, if they have been fetched (for synchronous callers such as the diagnostics pull). */
  peek(scopeUri: string): EditorSettings | undefined {
    return this.resolved.get(scopeUri);
  }

  clear(): void {
    this.pending.clear();
    this.resolved.clear();
    this.announced.clear();
  }

  private async load(scopeUri: string): Promise<EditorSettings> {
    let raw: unknown;
    try {
      raw = this.fetch ? ((await this.fetch(scopeUri)) ?? {}) : {};
    } catch {
      raw = {}; // the client could not answer: defaults, as for a client without workspace/configuration
    }
    const { settings, problems } = validateEditorSettings(raw);
    const fresh = problems.filter((p) => !this.announced.has(p));
    if (fresh.length) {
      for (const p of fresh) this.announced.add(p);
      this.warn(`pgdba: invalid settings, the defaults are used for: ${fresh.join('; ')}.`);
    }
    // Only cache if nobody cleared the store while we were waiting for the client.
    if (this.pending.has(scopeUri)) this.resolved.set(scopeUri, settings);
    return settings;
  }
}
