// The same scenarios in a desktop VS Code downloaded by @vscode/test-electron, for machines that can reach the VS Code
// download server (this project's CI cannot: it runs the code-server suite in test/e2e instead). `npm run test:electron`.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  const root = join(__dirname, '..', '..');
  const workspace = mkdtempSync(join(tmpdir(), 'pgdba-electron-'));
  cpSync(join(root, 'examples', 'saas'), workspace, { recursive: true });
  try {
    await runTests({
      extensionDevelopmentPath: root,
      extensionTestsPath: join(__dirname, 'suite', 'index.js'),
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
    });
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
