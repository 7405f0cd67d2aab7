// The README's screenshots come from the E2E run: each image it shows is mapped to a screenshot a scenario takes, and the copy refuses a failed or partial run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { copyReadmeImages, README_IMAGES, screenshotOf } from '../scripts/readme-images';

const root = join(__dirname, '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const scenarios = readdirSync(join(__dirname, 'e2e'))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => readFileSync(join(__dirname, 'e2e', f), 'utf8'))
  .join('\n');

test('every image the README shows is copied from an E2E screenshot, and every mapped one is shown', () => {
  const shown = [...readme.matchAll(/\]\(docs\/images\/([\w-]+\.png)\)/g)].map((m) => m[1]);
  assert.ok(shown.length > 0);
  assert.deepEqual([...new Set(shown)].sort(), Object.keys(README_IMAGES).sort());
});

test('every mapped screenshot is taken by a scenario', () => {
  for (const name of Object.values(README_IMAGES)) assert.match(scenarios, new RegExp(`screenshot\\('${name}'\\)`), `no scenario takes the screenshot ${name}`);
});

test('the copy takes the last screenshot of a name, and refuses a failed run or a missing screenshot', () => {
  assert.equal(screenshotOf(['03-problems.png', '04-problems-x.png', '11-problems.png'], 'problems'), '11-problems.png');
  const dir = mkdtempSync(join(tmpdir(), 'pgdba-readme-images-'));
  try {
    const images = join(dir, 'images');
    const artifacts = join(dir, 'e2e');
    for (const d of [images, artifacts]) mkdirSync(d);
    Object.values(README_IMAGES).forEach((name, i) => writeFileSync(join(artifacts, `${String(i + 1).padStart(2, '0')}-${name}.png`), name));
    assert.equal(copyReadmeImages(artifacts, images).length, Object.keys(README_IMAGES).length);
    assert.equal(readFileSync(join(images, 'quick-fix.png'), 'utf8'), 'quick-fix-menu');
    writeFileSync(join(artifacts, '40-FAILED-plan.png'), '');
    assert.throws(() => copyReadmeImages(artifacts, images), /the last E2E run failed/);
    rmSync(join(artifacts, '40-FAILED-plan.png'));
    rmSync(join(artifacts, '01-problems.png'));
    assert.throws(() => copyReadmeImages(artifacts, images), /no screenshot named problems/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
