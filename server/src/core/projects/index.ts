// Public surface of the project model (pure: file access is injected through WorkspaceFiles).
export * from './types';
export { buildProjects } from './detect';
export { schemaSources, sourceStatements, sourceSql, type SchemaSource } from './sources';
export { readSqlc, SQLC_FILES, type SqlcEntry } from './sqlc';
