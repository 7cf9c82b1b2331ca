import * as ipaddr from 'ipaddr.js';

/**
 * Addresses a server-side request must not reach when private targets are refused (SSRF
 * protection): every address ipaddr.js does not class as ordinary unicast (loopback,
 * link-local, private, unique-local, carrier-grade NAT, unspecified, broadcast, multicast,
 * reserved and documentation ranges, …). IPv6 forms that carry an IPv4 address to an IPv4
 * host (IPv4-mapped and -translated, NAT64 64:ff9b::/96, 6to4, the deprecated
 * IPv4-compatible ::a.b.c.d) are judged by that IPv4 address, so `[::ffff:7f00:1]` or
 * `[2002:7f00:1::]` is loopback; Teredo, whose IPv4 address is obscured, is refused outright.
 */
export function isPrivateAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '');
  if (!ipaddr.isValid(bare)) return false;
  const parsed = ipaddr.parse(bare);
  if (parsed.kind() === 'ipv4') return parsed.range() !== 'unicast';
  const ipv6 = parsed as ipaddr.IPv6;
  const carried = carriedIpv4(ipv6);
  if (carried) return carried.range() !== 'unicast';
  return ipv6.range() !== 'unicast';
}

/** A host name that names this machine or a private address without any lookup. */
export function isPrivateHostLiteral(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return host === 'localhost' || host.endsWith('.localhost') || isPrivateAddress(host);
}

/** The IPv4 address an IPv6 address delivers to, for the forms that embed one in a fixed place. */
function carriedIpv4(address: ipaddr.IPv6): ipaddr.IPv4 | undefined {
  const bytes = address.toByteArray();
  const last32 = () => new ipaddr.IPv4(bytes.slice(12, 16));
  switch (address.range()) {
    case 'ipv4Mapped':
    case 'rfc6145':
      return last32();
    case 'rfc6052':
      // Only the well-known prefix 64:ff9b::/96 puts the address in the last 32 bits; the
      // local-use 64:ff9b:1::/48 has no fixed layout and stays refused as non-unicast.
      return bytes.slice(4, 12).every((b) => b === 0) ? last32() : undefined;
    case '6to4':
      return new ipaddr.IPv4(bytes.slice(2, 6));
    case 'unicast':
      // IPv4-compatible (::a.b.c.d, deprecated): ipaddr.js has no range of its own for it.
      return bytes.slice(0, 12).every((b) => b === 0) ? last32() : undefined;
    default:
      return undefined;
  }
}
