// The pgdba/status notification: the last pulled document's finding counts together with its folder's EXPLAIN engine state.
import type { StatusParams } from './protocol';
import type { EngineStatus } from './engines';

export class StatusReporter {
  private counts = { findings: 0, errors: 0 };
  private root: string | undefined;
  private readonly engines = new Map<string, EngineStatus>();

  constructor(
    private readonly send: (p: StatusParams) => void,
    private readonly rootOf: (uri: string) => string | undefined,
  ) {}

  /** A document's diagnostics were pulled. */
  findings(uri: string, findings: number, errors: number): void {
    this.root = this.rootOf(uri);
    this.counts = { findings, errors };
    this.emit();
  }

  /** A folder's engine changed state; shown at once when it is the folder of the document last looked at. */
  engine(root: string, status: EngineStatus): void {
    this.engines.set(root, status);
    if (this.root === undefined || this.root === root) {
      this.root = root;
      this.emit();
    }
  }

  private emit(): void {
    const e = this.root === undefined ? undefined : this.engines.get(this.root);
    const state = e?.state === 'error' ? 'error' : e?.state === 'starting' ? 'analysing' : 'ready';
    this.send({ state, ...this.counts, engine: e?.label, message: e?.message, progress: e?.state === 'starting' ? e.progress : undefined });
  }
}
