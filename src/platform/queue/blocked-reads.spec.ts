import { blockedConnectionIds, listedAddress } from './blocked-reads';

const line = (id: number, name: string, addr: string, flags: string, cmd: string) =>
  `id=${id} addr=${addr} laddr=127.0.0.1:6379 fd=8 name=${name} age=2 idle=2 flags=${flags} db=0 sub=0 psub=0 multi=-1 events=r cmd=${cmd} user=default resp=2`;

describe('blockedConnectionIds', () => {
  const list = [
    line(10, 'msg:YXNzaWdubWVudA==', '10.0.0.5:41000', 'b', 'brpoplpush'),
    line(11, 'msg:YXNzaWdubWVudA==', '10.0.0.6:41000', 'b', 'brpoplpush'),
    line(12, 'msg:YXNzaWdubWVudA==', '10.0.0.5:41002', 'N', 'client|list'),
    line(13, '', '10.0.0.5:41000', 'b', 'blpop'),
  ].join('\n');

  it("picks this process's blocked connection by the queue's name and its address, not another worker's of the same name", () => {
    expect(blockedConnectionIds(list, { name: 'msg:YXNzaWdubWVudA==', addr: '10.0.0.5:41000' })).toEqual(['10']);
  });

  it('picks none while the connection is not blocked (running a job, or already reading no more)', () => {
    expect(blockedConnectionIds(list, { name: 'msg:YXNzaWdubWVudA==', addr: '10.0.0.5:41002' })).toEqual([]);
  });
});

describe('listedAddress', () => {
  it('writes the address as CLIENT LIST does, IPv6 in brackets', () => {
    expect(listedAddress({ localAddress: '127.0.0.1', localPort: 5000 })).toBe('127.0.0.1:5000');
    expect(listedAddress({ localAddress: '::1', localPort: 5000 })).toBe('[::1]:5000');
  });

  it('has none for a socket that is not connected', () => {
    expect(listedAddress(undefined)).toBeUndefined();
    expect(listedAddress({})).toBeUndefined();
  });
});
