import { isPrivateAddress, isPrivateHostLiteral } from './address-policy';

describe('address policy', () => {
  it.each(['127.0.0.1', '127.8.9.1', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '0.0.0.0', '100.64.0.1', '::1', '::', 'fe80::1', 'fd12:3456::1', '::ffff:127.0.0.1', '[::1]', '224.0.0.1'])(
    'refuses %s',
    (address) => expect(isPrivateAddress(address)).toBe(true),
  );

  it.each(['8.8.8.8', '172.32.0.1', '192.169.0.1', '2001:4860:4860::8888', '::ffff:8.8.8.8'])('allows %s', (address) => expect(isPrivateAddress(address)).toBe(false));

  it('treats localhost names as private and other names as needing a lookup', () => {
    expect(isPrivateHostLiteral('localhost')).toBe(true);
    expect(isPrivateHostLiteral('api.localhost')).toBe(true);
    expect(isPrivateHostLiteral('LOCALHOST.')).toBe(true);
    expect(isPrivateHostLiteral('hooks.example.com')).toBe(false);
  });
});
