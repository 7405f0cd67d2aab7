// Copies the screenshots the README shows from the last E2E run (test-results/e2e) into docs/images: `npm run readme:images`.
import { copyFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** docs/images/<file> ← the E2E screenshot named `<name>` (saved as `NN-<name>.png` by Workbench.screenshot). */
export const README_IMAGES: Record<string, string> = {
  'problems.png': 'problems',
  'plan-hover.png': 'plan-hover',
  'plan-hover-building.png': 'plan-hover-building',
  'quick-fix.png': 'quick-fix-menu',
  'rollback.png': 'rollback',
  'completion.png': 'completion',
  'go-to-definition.png': 'go-to-definition',
  'rehearsal.png': 'rehearsal-problems',
  'walkthrough.png': 'walkthrough',
};

/** The screenshot a run saved under `name` (the last one if a scenario saved it twice), or undefined. */
export function screenshotOf(files: readonly string[], name: string): string | undefined {
  return files
    .filter((f) => f.replace(/^\d+-/, '') === `${name}.png` && /^\d+-/.test(f))
    .sort()
    .at(-1);
}

/** Copies every README image from `artifacts` into `images`; throws naming each screenshot the run did not take. */
export function copyReadmeImages(artifacts: string, images: string): string[] {
  if (!existsSync(artifacts)) throw new Error(`${artifacts} does not exist: run the E2E suite first (node scripts/test.mjs test/e2e)`);
  const files = readdirSync(artifacts);
  const failed = files.filter((f) => /^\d+-FAILED-/.test(f));
  if (failed.length) throw new Error(`the last E2E run failed (${failed.join(', ')}): its screenshots are not copied`);
  const missing = Object.entries(README_IMAGES).filter(([, name]) => !screenshotOf(files, name));
  if (missing.length) throw new Error(`the last E2E run took no screenshot named ${missing.map(([, n]) => n).join(', ')}`);
  return Object.entries(README_IMAGES).map(([image, name]) => {
    copyFileSync(join(artifacts, screenshotOf(files, name)!), join(images, image));
    return `${screenshotOf(files, name)} → docs/images/${image}`;
  });
}

if (require.main === module) {
  const root = join(__dirname, '..');
  try {
    for (const line of copyReadmeImages(join(root, 'test-results', 'e2e'), join(root, 'docs', 'images'))) console.log(line);
  } catch (err) {
    console.error(`readme-images: ${(err as Error).message}`);
    process.exit(1);
  }
}
