export const CLIENT_APPLICATION_TYPES = ['chat', 'email', 'messaging', 'custom'] as const;
export type ClientApplicationType = (typeof CLIENT_APPLICATION_TYPES)[number];

export type CallbackState = 'active' | 'deactivated';

export interface ClientApplication {
  id: string;
  name: string;
  type: ClientApplicationType;
  entryPointIds: ReadonlySet<string>;
  callbackState: CallbackState;
  /** Whether a callback URL is configured: without one, events are kept in the transcript only. */
  hasCallbackUrl: boolean;
}

export interface EntryPoint {
  id: string;
  name: string;
  departmentId: string;
  queueId: string;
  active: boolean;
  lastModified: Date;
}

/** The authenticated caller of a client-application API. */
export interface ClientApplicationPrincipal {
  clientApplicationId: string;
}

/** Scope of the cache invalidation notices that name a changed client application by id. */
export const CLIENT_APPLICATION_CACHE_SCOPE = 'client-application';
