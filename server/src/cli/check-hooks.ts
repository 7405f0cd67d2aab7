// What `pgdba check` lets a caller change per check (result cache, changed-only runs, baseline), without forking it.
import type { Finding } from '../core/analyze';
import type { Config } from '../core/config';
import type { WorkspaceFiles } from '../core/migrations';
import type { Workspace } from '../core/workspace/workspace';
import type { DerivedStore } from '../core/workspace/derived-store';
import type { ReportedFinding } from './reporters/types';

/** One path given to `pgdba check`: a folder (a workspace) or a file (in the workspace around it). */
export interface CheckUnit {
  /** The path as given, made absolute. */
  path: string;
  /** The workspace root the path is analysed in. */
  root: string;
}

export interface CheckHooks {
  /** Findings to report for the unit without analysing it (a cache hit, or nothing changed in it); paths as shown. */
  replay?(unit: CheckUnit): ReportedFinding[] | undefined;
  /** The file access a unit's workspace reads through (the cache records what the check read). */
  files?(unit: CheckUnit, files: WorkspaceFiles): WorkspaceFiles;
  /** What earlier runs derived for the unit's workspace (signatures, catalogs, partial-rollback reports). */
  store?(unit: CheckUnit): DerivedStore | undefined;
  /** Whether findings are wanted for a file of the unit (absolute path); the whole workspace is analysed regardless. */
  include?(absFile: string): boolean;
  /** One file's findings: computed by `analyze`, or taken from a cache. */
  analyze?(unit: CheckUnit, rel: string, workspace: Workspace, config: Config, analyze: () => Finding[]): Finding[];
  /** A unit was analysed: its findings (paths as shown) and whether a config it used has problems. */
  done?(unit: CheckUnit, findings: ReportedFinding[], configProblems: boolean): void;
  /** Reports instead of printing: all findings and the exit code `pgdba check` would return; returns the exit code. */
  finish?(findings: ReportedFinding[], exitCode: number): number | Promise<number>;
}
