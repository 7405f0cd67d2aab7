// The normalised schema document: from the static catalog, from catalog rows, printed and compared.
export * from './types';
export { schemaFromCatalog } from './from-catalog';
export { schemaFromRows, type SchemaRows } from './from-rows';
export { catalogFromMigrations } from './from-migrations';
export { schemaJsonText, diffSchemaJson, differenceText, type SchemaDifference } from './render';
export { catalogSql } from './dump';
