import type { EntryPointSettings } from '../domain/configuration';

export type NewEntryPoint = Omit<EntryPointSettings, 'id' | 'lastModified'>;

export abstract class EntryPointRepository {
  abstract list(): Promise<EntryPointSettings[]>;
  abstract byId(id: string): Promise<EntryPointSettings | undefined>;
  abstract create(entryPoint: NewEntryPoint): Promise<string>;
  /** Applies the changes and moves lastModified forward (strictly), so clients holding the old date get 409. */
  abstract update(id: string, changes: Partial<NewEntryPoint>): Promise<void>;
}
