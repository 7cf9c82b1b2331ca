import { MysqlConversationRepository } from './mysql-conversation.repository';

/** A transaction without a query runner: preparedQuery sends the statement through `query`, captured here. */
function repositoryAnswering(rows: object[]) {
  const sent: { sql: string; values: unknown[] }[] = [];
  const tx = { query: async (sql: string, values: unknown[]) => (sent.push({ sql, values }), rows) };
  return { sent, repository: new MysqlConversationRepository({ tx } as never) };
}

const row = (id: string, olderWaiting: number | null) => ({
  activity_id: id, conversation_id: `conv-${id}`, queue_id: '1', state: 'waiting', client_application_id: '1',
  typing_notifications: 0, correlation_id: 'c', waited_us: '1000', older_waiting: olderWaiting,
});

describe('MysqlConversationRepository.lockActivities', () => {
  it('asks whether older chats wait for the newest activity by id, not by string order', async () => {
    const { sent, repository } = repositoryAnswering([]);
    await repository.lockActivities(['9', '10', '8'], 300);
    expect(sent[0].values).toEqual(['10', 300, '9', '10', '8']);
  });

  it('passes an id that is not a number on to the lock instead of failing', async () => {
    const { sent, repository } = repositoryAnswering([]);
    await expect(repository.lockActivities(['not-a-number', '7'], 300)).resolves.toEqual([]);
    expect(sent).toHaveLength(1);
  });

  it('reads the flag as said, and as not asked for the other activities', async () => {
    const { repository } = repositoryAnswering([row('8', null), row('9', 0), row('10', 1)]);
    expect((await repository.lockActivities(['8', '9', '10'], 300)).map((a) => a.olderWaiting)).toEqual([undefined, false, true]);
  });
});
