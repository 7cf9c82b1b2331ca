import { AppError } from '../../../platform/errors/app-error';
import { echoed } from '../../../platform/errors/echoed-value';

/** A path id that names nothing: 404 with the kind of resource. */
export class ResourceNotFound extends AppError {
  constructor(resource: string, id: string) {
    super('ResourceNotFound', `${resource} ${echoed(id)} does not exist`, 'id', { resource });
  }
}

/** A unique name (department, queue, user name, client id, attribute) already taken. */
export class ResourceAlreadyExists extends AppError {
  constructor(resource: string, field: string) {
    super('ResourceAlreadyExists', `another ${resource} already has this ${field}`, field, { resource, field });
  }
}

/** A body field that refers to another resource which does not exist. */
export class ReferenceNotFound extends AppError {
  constructor(resource: string, id: string, field: string) {
    super('ReferenceNotFound', `${resource} ${id} (${field}) does not exist`, field, { resource, id, field });
  }
}

/** `field` is the member the request set: a change of department alone is at fault, not the queue it kept. */
export class QueueNotInDepartment extends AppError {
  constructor(queueId: string, departmentId: string, field: 'queueId' | 'departmentId' = 'queueId') {
    super('QueueNotInDepartment', `queue ${queueId} belongs to another department than ${departmentId}`, field, { queueId, departmentId });
  }
}

/** A rule across fields of a body (e.g. an enumerated attribute without values): 400 naming the field. */
export class ConfigurationRuleViolated extends AppError {
  constructor(field: string, reason: string) {
    super('BodyInvalid', `${field}: ${reason}`, field, { field });
  }
}

/** A change made on a version of the resource that is no longer its version (If-Match): 412, nothing changed. */
export class ResourceChanged extends AppError {
  /** `id` is absent for a resource of which there is one (the system settings). */
  constructor(resource: string, id?: string) {
    super('ResourceChanged', `${resource}${id === undefined ? '' : ` ${echoed(id)}`} has changed since it was read`, 'If-Match', { resource });
  }
}
