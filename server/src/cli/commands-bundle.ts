// Every command's implementation, loaded on demand: the CLI's own bundle stays small (argument parsing, the check
// cache, reporters), so `pgdba check --cache` replaying unchanged findings starts without compiling the analysis.
export { runBaseline } from './baseline-command';
export { runRules } from './rules-command';
export { runExplain } from './commands/explain';
export { runPackage } from './commands/package';
export { runTrace } from './commands/trace';
export { runRollback } from './commands/rollback';
export { runRehearse } from './commands/rehearse';
export { runTop } from './commands/top';
export { runMigrations } from './commands/migrations';
export { runSchema } from './commands/schema';
