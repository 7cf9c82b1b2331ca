import type { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import type { ClsService } from 'nestjs-cls';
import type { IdempotencyStore } from './idempotency.store';
import { IdempotencyClaimLost, IdempotentAnswer } from './idempotent-answer';

const OWNER = Buffer.alloc(16, 7);

function answerWith() {
  const slots = new Map<string, unknown>();
  const cls = { isActive: () => true, get: (k: string) => slots.get(k), set: (k: string, v: unknown) => slots.set(k, v) } as unknown as ClsService;
  const store = { completeWithin: jest.fn().mockResolvedValue(true) };
  const tx = { name: 'the transaction' };
  const answers = new IdempotentAnswer(cls, store as unknown as IdempotencyStore, { tx } as unknown as TransactionHost<TransactionalAdapterTypeOrm>);
  return { answers, store, tx };
}

describe('IdempotentAnswer', () => {
  it('records the answer of a keyed request in the transaction of its work', async () => {
    const { answers, store, tx } = answerWith();
    answers.expect('client_application:1', 'k-1', OWNER, 200);
    expect(answers.recorded()).toBe(false);
    await answers.record({ conversation: { id: 'c-1' } });
    expect(store.completeWithin).toHaveBeenCalledWith(tx, 'client_application:1', 'k-1', OWNER, 200, { conversation: { id: 'c-1' } });
    expect(answers.recorded()).toBe(true);
  });

  it('runs no statement for a request without Idempotency-Key', async () => {
    const { answers, store } = answerWith();
    await answers.record({ conversation: { id: 'c-1' } });
    expect(store.completeWithin).not.toHaveBeenCalled();
    expect(answers.recorded()).toBe(false);
  });

  it('leaves the answer to the interceptor when recording it failed', async () => {
    const { answers, store } = answerWith();
    store.completeWithin.mockRejectedValue(Object.assign(new Error('Deadlock found'), { code: 'ER_LOCK_DEADLOCK' }));
    answers.expect('client_application:1', 'k-1', OWNER, 200);
    await expect(answers.record({})).rejects.toThrow('Deadlock found');
    expect(answers.recorded()).toBe(false);
  });

  it('fails, so that the work rolls back, when a retry took the claim over meanwhile', async () => {
    const { answers, store } = answerWith();
    store.completeWithin.mockResolvedValue(false);
    answers.expect('client_application:1', 'k-1', OWNER, 200);
    await expect(answers.record({})).rejects.toBeInstanceOf(IdempotencyClaimLost);
    expect(answers.recorded()).toBe(false);
  });
});
