import type { AssignmentAvailability } from '../../../agent';
import type { ResolveCase } from '../../../case';
import type { ClientApplicationDirectory } from '../../../client-application';
import type { FindOrCreateCustomer } from '../../../customer';
import { AppError } from '../../../../platform/errors/app-error';
import type { ErrorKind } from '../../../../platform/errors/error-catalogue';
import type { Outbox, OutboxMessage, StoredOutboxMessage } from '../../../../platform/outbox/outbox';
import type { AttributeDefinition, AttributeScope } from '../../../../platform/settings/attribute-rules';
import type { PlatformSettings } from '../../../../platform/settings/settings';
import { StartConversationCommand, type StartConversationInput } from '../../domain/start-conversation.command';
import type { ConversationRepository, NewConversation } from '../conversation.repository';
import { StartConversation } from './start-conversation.use-case';

type ResolveCaseCommand = Parameters<ResolveCase['execute']>[0];

const LAST_MODIFIED = '2026-01-05T10:00:00.000Z';

/** The checks made against configuration and platform state, in the order docs/start-conversation.md gives (Order of checks, 9 and 10). */
const CHECKS = [
  ['the application is not of type chat', 'ClientApplicationNotChat'],
  ['the entry point does not exist', 'EntryPointNotFound'],
  ['the application is not configured for the entry point', 'EntryPointNotAllowed'],
  ['lastModified is not the current one', 'EntryPointConfigurationChanged'],
  ['an activity custom attribute is not configured', 'CustomAttributeUnknown'],
  ['the custom search attribute is not searchable', 'SearchAttributeNotSearchable'],
  ['the callback URL is deactivated', 'CallbackUrlDeactivated'],
  ['no assignment worker is running', 'AssignmentServiceNotRunning'],
  ['no agent is available', 'NoAgentAvailable'],
] as const satisfies readonly (readonly [string, ErrorKind])[];

type Fault = (typeof CHECKS)[number][1];

/** A platform in memory where each check of CHECKS fails when its fault is set, recording what a start writes. */
function world(faults: ReadonlySet<Fault> = new Set()) {
  const state = { events: [] as string[], cases: [] as ResolveCaseCommand[], conversations: [] as NewConversation[], outbox: [] as OutboxMessage[] };
  const directory = {
    application: async (id: string) => ({
      id, name: 'Widget', type: faults.has('ClientApplicationNotChat') ? 'email' : 'chat',
      entryPointIds: new Set(faults.has('EntryPointNotAllowed') ? [] : ['1001']),
      callbackState: faults.has('CallbackUrlDeactivated') ? 'deactivated' : 'active', hasCallbackUrl: true,
    }),
    entryPoint: async (id: string) => faults.has('EntryPointNotFound') ? undefined : {
      id, name: 'Chat', departmentId: '3', queueId: '9', active: true,
      lastModified: new Date(Date.parse(LAST_MODIFIED) + (faults.has('EntryPointConfigurationChanged') ? 1 : 0)),
    },
  } as unknown as ClientApplicationDirectory;
  const definitions: AttributeDefinition[] = [
    { scope: 'contact', name: 'loyalty_id', type: 'string', enumValues: [], maxLength: 64, searchable: !faults.has('SearchAttributeNotSearchable') },
    ...(faults.has('CustomAttributeUnknown') ? [] : [{ scope: 'activity', name: 'order_channel', type: 'enum', enumValues: ['web'], maxLength: 64, searchable: false } as const]),
  ];
  const settings = {
    attributeDefinition: async (scope: AttributeScope, name: string) => definitions.find((d) => d.scope === scope && d.name === name),
  } as unknown as PlatformSettings;
  const availability = {
    isAssignmentServiceRunning: async () => !faults.has('AssignmentServiceNotRunning'),
    hasFreeAgent: async () => !faults.has('NoAgentAvailable'),
  } as unknown as AssignmentAvailability;
  const customers = {
    execute: async () => {
      state.events.push('customer');
      return { customerId: '42', created: true };
    },
  } as unknown as FindOrCreateCustomer;
  const cases = {
    execute: async (command: ResolveCaseCommand) => {
      state.cases.push(command);
      return '1200';
    },
  } as unknown as ResolveCase;
  const conversations = {
    create: async (conversation: NewConversation) => {
      state.conversations.push(conversation);
      return '5000';
    },
  } as unknown as ConversationRepository;
  const outbox = {
    add: async (message: OutboxMessage): Promise<StoredOutboxMessage> => {
      state.outbox.push(message);
      return { ...message, id: 'o1' } as StoredOutboxMessage;
    },
    dispatch: () => void state.events.push('dispatch'),
  } as unknown as Outbox;
  const txHost = {
    withTransaction: async <T>(...args: unknown[]) => {
      state.events.push('begin');
      const result = await (args[args.length - 1] as () => Promise<T>)();
      state.events.push('commit');
      return result;
    },
  };
  const useCase = new StartConversation(directory, settings, availability, customers, cases, conversations, outbox, txHost as never);
  return { state, useCase };
}

/** A start searching on a custom contact attribute with an activity custom attribute: every check of CHECKS applies to it. */
const command = (extra: Partial<StartConversationInput> = {}) => StartConversationCommand.create({
  anonymousCustomer: false, searchContactOnAttribute: 'custom.loyalty_id', sendTypingNotification: false,
  entryPointId: '1001', lastModified: LAST_MODIFIED,
  customAttributes: [{ name: 'order_channel', values: ['web'] }],
  customer: { type: 'individual', contacts: [{ firstName: 'Ada', emails: [], phones: [], socials: [], customAttributes: [{ name: 'loyalty_id', values: ['L-1'] }] }] },
  ...extra,
});

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  if (err instanceof AppError) return err;
  throw new Error(`expected a refusal, got ${String(err)}`);
}

describe('StartConversation', () => {
  it.each(CHECKS.map(([name, kind], i) => [name, kind, i] as const))('refuses a start where %s (%s) before any later check, writing nothing', async (_name, kind, i) => {
    // Every check from this one on fails: only the first of them may answer.
    const { state, useCase } = world(new Set(CHECKS.slice(i).map(([, k]) => k)));
    expect((await refusal(useCase.execute(command(), { clientApplicationId: '7' }, 'corr-1'))).kind).toBe(kind);
    expect(state.events).toEqual([]);
    expect(state.outbox).toEqual([]);
  });

  it('starts when every check holds, and hands the activity to assignment only after the commit', async () => {
    const { state, useCase } = world();
    const started = await useCase.execute(command(), { clientApplicationId: '7' }, 'corr-1');
    expect(started).toMatchObject({ activityId: '5000', caseId: '1200', customerId: '42', entryPointId: '1001', state: 'waiting' });
    expect(state.events).toEqual(['begin', 'customer', 'commit', 'dispatch']);
    expect(state.outbox).toEqual([expect.objectContaining({ jobId: expect.stringContaining('5000'), payload: { activityId: '5000', correlationId: 'corr-1' } })]);
  });

  it("opens a new case with the subject, in the entry point's department, and queues the activity on the entry point's queue", async () => {
    const { state, useCase } = world();
    await useCase.execute(command({ subject: 'Where is my order?' }), { clientApplicationId: '7' }, 'corr-1');
    expect(state.cases).toEqual([{ caseId: undefined, customerId: '42', departmentId: '3', subject: 'Where is my order?' }]);
    expect(state.conversations[0]).toMatchObject({ entryPointId: '1001', queueId: '9', caseId: '1200', customerId: '42', subject: 'Where is my order?' });
  });
});
