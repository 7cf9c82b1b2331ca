import type { EntryPointSettings } from '../domain/configuration';
import type { ListPage, ListPageOf } from '../domain/list-page';

export type NewEntryPoint = Omit<EntryPointSettings, 'id' | 'lastModified'>;

export abstract class EntryPointRepository {
  abstract list(page: ListPage): Promise<ListPageOf<EntryPointSettings>>;
  /** With `lock`, the row stays locked until the transaction ends: concurrent changes of it run one after the other, each reading what the previous one wrote. */
  abstract byId(id: string, options?: { lock?: boolean }): Promise<EntryPointSettings | undefined>;
  abstract create(entryPoint: NewEntryPoint): Promise<string>;
  /** Applies the changes and moves lastModified forward (strictly), so clients holding the old date get 409. */
  abstract update(id: string, changes: Partial<NewEntryPoint>): Promise<void>;
}
