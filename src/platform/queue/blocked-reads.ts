import { randomBytes } from 'node:crypto';
import type { Queue } from 'bull';
import type Redis from 'ioredis';

/** What Bull keeps of a queue's naming of its blocking connection but does not declare. */
type NamedQueue = Queue & { clientName(): string };

// Bull's name ends in base64, which has neither `:` nor `-`: a name ending so was marked here, whatever REDIS_PREFIX holds.
const MARKED = /:w-\d+-[0-9a-f]{12}$/;

/**
 * Gives `queue`'s blocking connection a name no other worker's has, and answers it. Bull names
 * the blocking connection of every worker of a queue alike (`<prefix>:<queue name in base64>`);
 * a mark of this process and this queue object is added to that name, so that the connection is
 * found in CLIENT LIST by its name alone, whatever address Redis sees for it (behind NAT or a
 * proxy, or IPv4 seen as IPv6, the address never matches the socket's own). ioredis sends the
 * name again on every reconnect, before any other command. Bull's getWorkers (the queue
 * dashboard's list of workers) still lists every worker's connection: those whose names start
 * with Bull's.
 *
 * Bull names the connection when the queue is first given a handler (`process()`), so this
 * must come before that.
 */
export function nameBlockingConnection(queue: Queue): string {
  const named = queue as NamedQueue;
  const bullName = named.clientName();
  if (isMarked(bullName)) return bullName;
  const name = `${bullName}:w-${process.pid}-${randomBytes(6).toString('hex')}`;
  // Bull's setWorkerName names the connection clientName(); its parseClientList keeps the names starting with clientName().
  const parseClientList = named.parseClientList;
  named.clientName = () => name;
  named.parseClientList = (list) => parseClientList.call(Object.assign(Object.create(queue) as NamedQueue, { clientName: () => bullName }), list);
  return name;
}

/** Whether `name` is one that nameBlockingConnection gave: only such a name tells one worker's connection. */
export function isMarked(name: string | undefined): name is string {
  return !!name && MARKED.test(name);
}

/** Ids of the connections named `name` that Redis holds blocked in a command (flag `b` in CLIENT LIST). */
export function blockedConnectionIds(clientList: string, name: string): string[] {
  const ids: string[] = [];
  for (const line of clientList.split('\n')) {
    const fields = new Map<string, string>();
    for (const field of line.trim().split(' ')) {
      const at = field.indexOf('=');
      if (at > 0) fields.set(field.slice(0, at), field.slice(at + 1));
    }
    const id = fields.get('id');
    if (id && fields.get('name') === name && fields.get('flags')?.includes('b')) ids.push(id);
  }
  return ids;
}

/**
 * Ends the blocking reads (BRPOPLPUSH) Redis holds for the connection named `name`, as if
 * their timeout had passed: each gets a null reply and no element moves. A connection shared
 * by several loops has their reads queued behind the blocked one, and Redis runs the next as
 * soon as one is released, so each is released in turn until none is left or `done` says the
 * connection is closing anyway. Resolves with how many reads were released.
 */
export async function releaseBlockedReads(via: Redis, name: string, done: () => boolean): Promise<number> {
  const list = (await via.call('CLIENT', 'LIST', 'TYPE', 'normal')) as string;
  let released = 0;
  for (const id of blockedConnectionIds(list, name)) {
    while (!done() && Number(await via.call('CLIENT', 'UNBLOCK', id)) === 1) released++;
  }
  return released;
}
