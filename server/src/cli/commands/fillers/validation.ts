// `package new --check <paths…>`: runs pgdba's checks on the chosen paths and keeps the report as evidence/validation.log.
import { relative, resolve } from 'node:path';
import type { FillResult } from '../../../core/package/plan';
import { runCheck } from '../../check';
import type { PackageFiller } from '../../../package/new-package';

export const validationFiller: PackageFiller = {
  name: 'validation',
  flags: ['check'],
  async fill(ctx) {
    const result: FillResult = { files: [], inputs: [], notes: [] };
    const paths = ctx.flags.check ?? [];
    if (paths.length === 0) {
      // Not asked for: the section's DBA gate checklist already says what is missing.
      return result;
    }
    let out = '';
    let err = '';
    const code = await runCheck({ paths, format: 'text', cwd: ctx.cwd }, { stdout: (s) => (out += s), stderr: (s) => (err += s) });
    const header = `$ pgdba check ${paths.map((p) => relative(ctx.cwd, resolve(ctx.cwd, p)) || '.').join(' ')}\n# exit ${code} (${code === 0 ? 'no error findings' : code === 1 ? 'error findings' : 'usage or config error'})\n`;
    result.files.push({ section: 'evidence', name: 'validation.log', content: header + out + err });
    result.inputs.push(`pgdba check of ${paths.map((p) => `\`${p}\``).join(', ')} → \`${ctx.layout.folders.evidence}/validation.log\``);
    if (code !== 0)
      result.notes.push({ about: 'evidence', text: `pgdba check reported ${code === 1 ? 'error findings' : 'a usage or config error'}: see validation.log` });
    return result;
  },
};
