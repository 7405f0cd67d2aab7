// The folder a single file is analysed in: the nearest ancestor with pgdba.json or .git, else the file's own folder.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

export function workspaceRootOf(file: string): string {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'pgdba.json')) || existsSync(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) return dirname(file);
  }
}
