import { isPrivateAddress, isPrivateHostLiteral } from './address-policy';

describe('address policy', () => {
  it.each([
    '127.0.0.1', '127.8.9.1', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '0.0.0.0', '100.64.0.1',
    '::1', '::', 'fe80::1', 'fd12:3456::1', '[::1]', '224.0.0.1', '255.255.255.255', '198.18.0.1', 'fec0::1', 'ff02::1',
    // IPv4-mapped, in both spellings (WHATWG URLs write the hex one)
    '::ffff:127.0.0.1', '[::ffff:7f00:1]', '::ffff:a9fe:a9fe',
    // IPv4-compatible, NAT64, 6to4 and IPv4-translated forms of loopback and private addresses
    '[::7f00:1]', '::10.0.0.1', '[64:ff9b::7f00:1]', '64:ff9b::a9fe:a9fe', '[2002:7f00:1::]', '2002:c0a8:101::1', '[::ffff:0:7f00:1]',
    // the local-use NAT64 prefix and Teredo, whose IPv4 address cannot be read off
    '64:ff9b:1::808:808', '2001:0:4136:e378:8000:63bf:3fff:fdd2',
  ])('refuses %s', (address) => expect(isPrivateAddress(address)).toBe(true));

  it.each(['8.8.8.8', '172.32.0.1', '192.169.0.1', '2001:4860:4860::8888', '::ffff:8.8.8.8', '[::ffff:808:808]', '64:ff9b::808:808', '2002:808:808::1', '::8.8.8.8'])(
    'allows %s',
    (address) => expect(isPrivateAddress(address)).toBe(false),
  );

  it('takes a host name for a name, not an address', () => {
    expect(isPrivateAddress('hooks.example.com')).toBe(false);
  });

  it('treats localhost names as private and other names as needing a lookup', () => {
    expect(isPrivateHostLiteral('localhost')).toBe(true);
    expect(isPrivateHostLiteral('api.localhost')).toBe(true);
    expect(isPrivateHostLiteral('LOCALHOST.')).toBe(true);
    expect(isPrivateHostLiteral('hooks.example.com')).toBe(false);
    expect(isPrivateHostLiteral(new URL('http://[::ffff:127.0.0.1]:8080/hook').hostname)).toBe(true);
    expect(isPrivateHostLiteral(new URL('http://[64:ff9b::127.0.0.1]/hook').hostname)).toBe(true);
  });
});
