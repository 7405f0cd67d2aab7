// Public surface of rollback generation (pure): generate a down from an up, where it goes, and what a hand-written down leaves behind.
export { generateRollback, type GenerateOptions } from './generate';
export { catalogBefore, cloneCatalog, applyUp, orderedUps, orderedUpsFromFiles, type OrderedUp } from './catalog-before';
export { rollbackTarget, type RollbackTarget } from './target';
export { rollbackLeftovers, catalogObjects, type Leftover, type LeftoverReport } from './leftovers';
export type { Rollback, RollbackItem, RollbackOptions, RollbackWarning } from './types';
