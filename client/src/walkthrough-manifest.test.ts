// Each Get Started step completes on its real event: a context key the client sets when it happens, never a command that merely opens something.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  contributes: { walkthroughs: { id: string; steps: { id: string; title: string; completionEvents?: string[]; media: { markdown?: string } }[] }[] };
};
const client = ['walkthrough.ts', 'status.ts', 'plan-hover.ts', 'explain-request.ts'].map((f) => readFileSync(join(__dirname, f), 'utf8')).join('\n');
// The keys walkthrough.ts pulses when their event happened: stepEvent('<key>').
const keys = new Set([...readFileSync(join(__dirname, 'walkthrough.ts'), 'utf8').matchAll(/stepEvent\('([\w.]+)'\)/g)].map((m) => m[1]));

/** The event each step stands for, and the client code that raises it. */
const EVENTS: Record<string, { key: string; raisedBy: RegExp }> = {
  findings: { key: 'pgdba.sqlFileOpened', raisedBy: /onDidOpenTextDocument\(sql\)/ },
  pglite: { key: 'pgdba.planShown', raisedBy: /markPlanShown\(\)/ },
  database: { key: 'pgdba.databaseConnected', raisedBy: /markDatabaseConnected\(p\.engine, p\.state\)/ },
  config: { key: 'pgdba.configFound', raisedBy: /onDidCreate\(markConfigFound\)/ },
};

const steps = manifest.contributes.walkthroughs.flatMap((w) => w.steps);

test('the walkthrough has the four steps this test knows', () => {
  assert.deepEqual(steps.map((s) => s.id).sort(), Object.keys(EVENTS).sort());
});

for (const step of steps) {
  test(`step "${step.title}" completes on its own event`, () => {
    const want = EVENTS[step.id];
    assert.deepEqual(step.completionEvents, [`onContext:${want.key}`]);
    assert.ok(keys.has(want.key), `walkthrough.ts never sets ${want.key}`);
    assert.match(client, want.raisedBy);
    assert.ok(step.media.markdown && existsSync(join(root, step.media.markdown)), `${step.media.markdown} is missing`);
  });
}
