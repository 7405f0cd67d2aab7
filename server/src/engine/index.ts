// Public surface of the engines: the only code in pgdba that talks to a database.
export * from './types';
export { EngineError, type EngineErrorCode } from './errors';
export {
  checkHostAllowed,
  resolveConnection,
  parseConnectionUrl,
  type ConnectionSettings,
  type LibpqEnvironment,
  type ResolvedConnection,
  type SslMode,
} from './conninfo';
export { connectPg, nodeLibpqEnvironment } from './pg-engine';
export { createPgliteEngine, PgliteEngine, type PgliteEngineOptions, type PgliteStorage } from './pglite-engine';
export { buildPgliteFromMigrations, type BuildOptions, type PgliteBuild, type Migration, type SkippedStatement } from './pglite-build';
export { workspaceMigrations, projectMigrations, chooseProject, defaultPgliteCacheDir, type SourceChoice } from './workspace-migrations';
export { explainStatement, type ExplainedStatement } from './explain-statement';
export { fetchPlanStats } from './plan-stats';
export { fetchObservation, fetchObservabilitySettings, ENABLE_STEPS, HIDDEN_NOTE } from './observe';
