// What a workspace derives from its files and may take from an earlier run instead of deriving it again (`pgdba check
// --cache` keeps it per checked path): DDL signatures, project catalogs and partial-rollback reports. Each is asked for
// by the exact inputs that determine it, so a stored value is only ever reused for the same inputs.
import type { Catalog } from '../catalog/types';
import type { SchemaSource } from '../projects';
import type { LeftoverReport } from '../rollback/leftovers';

export type SourceKind = SchemaSource['kind'];

export interface DerivedStore {
  /** A short digest of a text (the store's keys are digests of inputs, which can be megabytes). */
  digest(text: string): string;
  /** The DDL signature (see ddlSignature) of a file text read as a migration or a schema file. */
  signature(text: string, kind: SourceKind): string | undefined;
  keepSignature(text: string, kind: SourceKind, signature: string): void;
  /** A project catalog built from sources whose paths, kinds, sections and signatures digest to `inputs`. */
  catalog(inputs: string): Catalog | undefined;
  keepCatalog(inputs: string, catalog: Catalog): void;
  /** A migration's partial-rollback report for inputs that digest to `inputs`. */
  leftovers(inputs: string): LeftoverReport | undefined;
  keepLeftovers(inputs: string, report: LeftoverReport): void;
}
