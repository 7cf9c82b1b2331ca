import type Redis from 'ioredis';

/** One connection as Redis lists it: its name and its address as the server sees it. */
export interface ConnectionMatch {
  name: string;
  addr: string;
}

/** Ids of the connections matching `match` that Redis holds blocked in a command (flag `b` in CLIENT LIST). */
export function blockedConnectionIds(clientList: string, match: ConnectionMatch): string[] {
  const ids: string[] = [];
  for (const line of clientList.split('\n')) {
    const fields = new Map<string, string>();
    for (const field of line.trim().split(' ')) {
      const at = field.indexOf('=');
      if (at > 0) fields.set(field.slice(0, at), field.slice(at + 1));
    }
    const id = fields.get('id');
    if (id && fields.get('name') === match.name && fields.get('addr') === match.addr && fields.get('flags')?.includes('b')) ids.push(id);
  }
  return ids;
}

/** The address Redis lists for the far end of `socket`'s connection (IPv6 in brackets), if it is a TCP one. */
export function listedAddress(socket: { localAddress?: string; localPort?: number } | undefined): string | undefined {
  if (!socket?.localAddress || !socket.localPort) return undefined;
  return socket.localAddress.includes(':') ? `[${socket.localAddress}]:${socket.localPort}` : `${socket.localAddress}:${socket.localPort}`;
}

/**
 * Ends the blocking reads (BRPOPLPUSH) Redis holds for the connection matching `match`, as if
 * their timeout had passed: each gets a null reply and no element moves. A connection shared
 * by several loops has their reads queued behind the blocked one, and Redis runs the next as
 * soon as one is released, so each is released in turn until none is left or `done` says the
 * connection is closing anyway. Resolves with how many reads were released.
 */
export async function releaseBlockedReads(via: Redis, match: ConnectionMatch, done: () => boolean): Promise<number> {
  const list = (await via.call('CLIENT', 'LIST', 'TYPE', 'normal')) as string;
  let released = 0;
  for (const id of blockedConnectionIds(list, match)) {
    while (!done() && Number(await via.call('CLIENT', 'UNBLOCK', id)) === 1) released++;
  }
  return released;
}
