import type { Queue } from 'bull';
import { MAX_UNANSWERED_ADDS, QueueDispatcher } from './queue-dispatcher';

/** A Bull queue whose Redis connection is up but answers only when the test says so (a Redis that hangs). */
function hangingQueue() {
  const answers: (() => void)[] = [];
  const queue = {
    client: { status: 'ready' },
    add: jest.fn(() => new Promise<void>((resolve) => answers.push(resolve))),
  };
  return { queue, answerAll: () => answers.splice(0).forEach((answer) => answer()) };
}

const message = (i: number) => ({ queue: 'assignment' as const, jobName: 'assign-activity', jobId: `assign:${i}`, payload: { activityId: String(i) } });

describe('QueueDispatcher', () => {
  it('takes no more adds for a queue whose Redis leaves MAX_UNANSWERED_ADDS unanswered, and takes them again once it answers', async () => {
    const assignment = hangingQueue();
    const webhook = hangingQueue();
    const dispatcher = new QueueDispatcher(assignment.queue as unknown as Queue, webhook.queue as unknown as Queue);
    const pending: Promise<void>[] = [];
    for (let i = 0; i < MAX_UNANSWERED_ADDS - 1; i++) pending.push(dispatcher.add(message(i)));
    expect(dispatcher.isConnected('assignment')).toBe(true);
    pending.push(dispatcher.add(message(MAX_UNANSWERED_ADDS)));
    // Connected, but hung: adds would only pile up in memory.
    expect(dispatcher.isConnected('assignment')).toBe(false);
    expect(dispatcher.isConnected('webhook')).toBe(true);

    assignment.answerAll();
    await Promise.all(pending);
    expect(dispatcher.isConnected('assignment')).toBe(true);
  });

  it('counts an add that timed out as unanswered until Redis answers it', async () => {
    jest.useFakeTimers();
    try {
      const assignment = hangingQueue();
      const dispatcher = new QueueDispatcher(assignment.queue as unknown as Queue, hangingQueue().queue as unknown as Queue);
      const timedOut: Promise<unknown>[] = [];
      for (let i = 0; i < MAX_UNANSWERED_ADDS; i++) timedOut.push(dispatcher.add(message(i), 3000).catch((err: Error) => err.message));
      jest.advanceTimersByTime(3000);
      expect(await timedOut[0]).toMatch(/did not answer within 3000 ms/);
      expect(dispatcher.isConnected('assignment')).toBe(false);
      assignment.answerAll();
      await Promise.resolve();
      await Promise.resolve();
      expect(dispatcher.isConnected('assignment')).toBe(true);
    } finally {
      jest.useRealTimers();
    }
  });

  it('takes no adds while the connection is down', () => {
    const assignment = hangingQueue();
    assignment.queue.client.status = 'reconnecting';
    const dispatcher = new QueueDispatcher(assignment.queue as unknown as Queue, hangingQueue().queue as unknown as Queue);
    expect(dispatcher.isConnected('assignment')).toBe(false);
  });

  it('adds each job under its outbox row\'s job id, so that a row delivered twice makes one job', async () => {
    const assignment = hangingQueue();
    const dispatcher = new QueueDispatcher(assignment.queue as unknown as Queue, hangingQueue().queue as unknown as Queue);
    const added = dispatcher.add(message(7));
    assignment.answerAll();
    await added;
    expect(assignment.queue.add).toHaveBeenCalledWith('assign-activity', { activityId: '7' }, expect.objectContaining({ jobId: 'assign:7' }));
  });
});
