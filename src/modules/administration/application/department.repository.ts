import type { Department } from '../domain/configuration';
import type { ListPage, ListPageOf } from '../domain/list-page';

export abstract class DepartmentRepository {
  abstract list(page: ListPage): Promise<ListPageOf<Department>>;
  abstract byId(id: string, options?: { lock?: boolean }): Promise<Department | undefined>;
  /** Throws ResourceAlreadyExists when the name is taken. */
  abstract create(name: string): Promise<string>;
  abstract update(id: string, changes: { name?: string }): Promise<void>;
}
