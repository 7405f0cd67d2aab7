// An in-memory WorkspaceFiles, for tests and for callers that already hold the files' text.
import type { WorkspaceFiles } from './types';

/** `files` maps workspace-relative posix paths to their text. */
export function memoryWorkspaceFiles(files: Record<string, string>): WorkspaceFiles & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    list: () => Object.keys(files),
    read: (path) => {
      reads.push(path);
      return Object.prototype.hasOwnProperty.call(files, path) ? files[path] : undefined;
    },
  };
}
