import type { Department } from '../domain/configuration';

export abstract class DepartmentRepository {
  abstract list(): Promise<Department[]>;
  abstract byId(id: string): Promise<Department | undefined>;
  /** Throws ResourceAlreadyExists when the name is taken. */
  abstract create(name: string): Promise<string>;
  abstract update(id: string, changes: { name?: string }): Promise<void>;
}
