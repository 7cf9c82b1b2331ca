import type { Queue } from 'bull';
import { blockedConnectionIds, isMarked, nameBlockingConnection } from './blocked-reads';

const line = (id: number, name: string, addr: string, flags: string, cmd: string) =>
  `id=${id} addr=${addr} laddr=127.0.0.1:6379 fd=8 name=${name} age=2 idle=2 flags=${flags} db=0 sub=0 psub=0 multi=-1 events=r cmd=${cmd} user=default resp=2`;

describe('blockedConnectionIds', () => {
  const list = [
    line(10, 'msg:YXNzaWdubWVudA==:w-7-aa', '10.0.0.5:41000', 'b', 'brpoplpush'),
    line(11, 'msg:YXNzaWdubWVudA==:w-8-bb', '10.0.0.5:41000', 'b', 'brpoplpush'),
    line(12, 'msg:YXNzaWdubWVudA==:w-9-cc', '10.0.0.5:41002', 'N', 'client|list'),
    line(13, '', '10.0.0.5:41000', 'b', 'blpop'),
  ].join('\n');

  it("picks this worker's blocked connection by its name alone, not another worker's seen at the same address", () => {
    expect(blockedConnectionIds(list, 'msg:YXNzaWdubWVudA==:w-7-aa')).toEqual(['10']);
  });

  it('picks none while the connection is not blocked (running a job, or already reading no more)', () => {
    expect(blockedConnectionIds(list, 'msg:YXNzaWdubWVudA==:w-9-cc')).toEqual([]);
  });
});

describe('nameBlockingConnection', () => {
  const bullQueue = () => ({ clientName: () => 'msg:YXNzaWdubWVudA==' }) as unknown as Queue;

  it("extends Bull's name with a mark of its own per queue object, kept once given", () => {
    const one = bullQueue();
    const name = nameBlockingConnection(one);
    expect(name.startsWith('msg:YXNzaWdubWVudA==:w-')).toBe(true);
    expect((one as unknown as { clientName(): string }).clientName()).toBe(name);
    expect(nameBlockingConnection(one)).toBe(name);
    expect(nameBlockingConnection(bullQueue())).not.toBe(name);
  });

  it("does not take Bull's own name, shared by every worker of the queue, for one worker's", () => {
    expect(isMarked('msg:YXNzaWdubWVudA==')).toBe(false);
    expect(isMarked('app:w-1:YXNzaWdubWVudA==')).toBe(false);
    expect(nameBlockingConnection({ clientName: () => 'app:w-1:YXNzaWdubWVudA==' } as unknown as Queue)).toMatch(/^app:w-1:YXNzaWdubWVudA==:w-\d+-[0-9a-f]{12}$/);
    expect(isMarked(undefined)).toBe(false);
  });
});
