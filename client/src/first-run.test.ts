// The walkthrough opens on a fresh profile once, never again, and never while walkthroughs-on-install is off.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openWalkthroughOnce, WALKTHROUGH_OPENED, type FlagStore } from './first-run';

/** A globalState as VS Code keeps it: a key-value store that outlives the window. */
function freshProfile(): FlagStore & { values: Map<string, unknown> } {
  const values = new Map<string, unknown>();
  return { values, get: <T>(k: string) => values.get(k) as T | undefined, update: async (k, v) => void values.set(k, v) };
}

test('a fresh profile opens the walkthrough once, then never again', async () => {
  const state = freshProfile();
  let opened = 0;
  const open = async () => void opened++;
  assert.equal(await openWalkthroughOnce(state, true, open), true);
  assert.equal(opened, 1);
  assert.equal(state.values.get(WALKTHROUGH_OPENED), true);
  for (let restart = 0; restart < 3; restart++) assert.equal(await openWalkthroughOnce(state, true, open), false);
  assert.equal(opened, 1);
});

test('with walkthroughs-on-install off it does not open, and opens once the setting is back on', async () => {
  const state = freshProfile();
  let opened = 0;
  const open = async () => void opened++;
  assert.equal(await openWalkthroughOnce(state, false, open), false);
  assert.equal(opened, 0);
  assert.equal(state.values.has(WALKTHROUGH_OPENED), false);
  assert.equal(await openWalkthroughOnce(state, true, open), true);
  assert.equal(await openWalkthroughOnce(state, true, open), false);
  assert.equal(opened, 1);
});
