// Public surface of migration layout discovery (pure: file access is injected through WorkspaceFiles).
export * from './types';
export { discoverLayout } from './discover';
export { sectionOf, hasDbmateMarker, type DbmateSections } from './dbmate';
export { migrationForPath, migrationPartsForPath, isMigrationPath, type MigrationHit } from './lookup';
export { compareNatural, compareFlywayVersion } from './compare';
export { parsePlan } from './sqitch';
export { memoryWorkspaceFiles } from './memory-files';
