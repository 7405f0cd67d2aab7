// `package new --rehearse <migrations-dir>`: the up → down → up rehearsal transcript (own down files) into evidence/.
import { relative, resolve } from 'node:path';
import type { FillResult } from '../../../core/package/plan';
import type { PackageFiller } from '../../../package/new-package';
import { runRehearse } from '../rehearse';

export const rehearsalFiller: PackageFiller = {
  name: 'rehearsal',
  flags: ['rehearse'],
  async fill(ctx) {
    const result: FillResult = { files: [], inputs: [], notes: [] };
    const dir = ctx.flags.rehearse?.[0];
    // Not asked for: the evidence gate checklist already says the transcript is missing.
    if (!dir) return result;
    let out = '';
    let err = '';
    const code = await runRehearse([dir, '--down', 'files'], { cwd: ctx.cwd, stdout: (s) => void (out += s), stderr: (s) => void (err += s) });
    const shown = relative(ctx.cwd, resolve(ctx.cwd, dir)) || '.';
    result.files.push({ section: 'evidence', name: 'rehearsal.txt', content: `$ pgdba rehearse ${shown} --down files\n# exit ${code}\n${out}${err}` });
    result.inputs.push(`rehearsal of \`${shown}\` (up → down → up on PGlite) → \`${ctx.layout.folders.evidence}/rehearsal.txt\``);
    if (code !== 0) result.notes.push({ about: 'rollback', text: `the rehearsal of ${shown} did not pass: see rehearsal.txt` });
    return result;
  },
};
