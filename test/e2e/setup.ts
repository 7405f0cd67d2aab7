// Installs what the E2E suite needs ahead of a run: `npx tsx test/e2e/setup.ts` (idempotent; instant once installed).
import { ensureCodeServer, installedVersion, missingPrerequisites } from './code-server';

const missing = missingPrerequisites();
if (missing.length) {
  console.error(`missing Debian packages: apt-get update && apt-get install -y ${missing.join(' ')}`);
  process.exit(1);
}
const t0 = Date.now();
const entry = ensureCodeServer((line) => console.log(line));
console.log(`code-server ${installedVersion()} ready in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${entry}`);
