/**
 * Whether an IP address is public, for live accounts' webhook deliveries (webhooks.md "Safety"):
 * loopback, private, carrier-grade NAT, link-local, unique-local, unspecified, multicast and
 * reserved ranges are not, in IPv4 and IPv6 alike, and neither is an IPv6 form embedding one of
 * those IPv4 addresses (IPv4-mapped `::ffff:127.0.0.1`, IPv4-compatible, NAT64).
 */
import { isIPv4, isIPv6 } from "node:net";

/** [first address as a 32-bit number, prefix length] of every non-public IPv4 range. */
const NON_PUBLIC_V4: [number, number][] = [
  ["0.0.0.0", 8], // "this network", unspecified
  ["10.0.0.0", 8],
  ["100.64.0.0", 10], // carrier-grade NAT: private to the provider, often reaches its internals
  ["127.0.0.0", 8],
  ["169.254.0.0", 16], // link-local, cloud metadata services
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, broadcast
].map(([address, bits]) => [v4Number(address as string), bits as number]);

function v4Number(address: string): number {
  return address.split(".").reduce((n, part) => n * 256 + Number(part), 0);
}

function v4IsPublic(value: number): boolean {
  return !NON_PUBLIC_V4.some(([start, bits]) => {
    const size = 2 ** (32 - bits);
    return value >= start && value < start + size;
  });
}

/** The eight 16-bit groups of an IPv6 address (a trailing dotted IPv4 part included). */
function v6Groups(address: string): number[] {
  let text = address.toLowerCase().split("%")[0] as string;
  const dotted = text.match(/(\d+\.\d+\.\d+\.\d+)$/);
  if (dotted) {
    const v4 = v4Number(dotted[1] as string);
    text = `${text.slice(0, -(dotted[1] as string).length)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const [head, tail] = text.includes("::") ? (text.split("::") as [string, string]) : [text, undefined];
  const parse = (part: string) => (part === "" ? [] : part.split(":").map((g) => Number.parseInt(g, 16)));
  const first = parse(head);
  if (tail === undefined) return first;
  const last = parse(tail);
  return [...first, ...new Array<number>(8 - first.length - last.length).fill(0), ...last];
}

function v6IsPublic(address: string): boolean {
  const g = v6Groups(address);
  const [g0 = 0, , , , , g5 = 0, g6 = 0, g7 = 0] = g;
  const embeddedV4 = (g6 * 65536 + g7) >>> 0;
  const zeroUpTo = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zeroUpTo(8)) return false; // :: unspecified
  if (zeroUpTo(7) && g7 === 1) return false; // ::1 loopback
  if (zeroUpTo(5) && g5 === 0xffff) return v4IsPublic(embeddedV4); // ::ffff:a.b.c.d mapped
  if (zeroUpTo(6)) return v4IsPublic(embeddedV4); // ::a.b.c.d compatible (deprecated)
  if (g0 === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return v4IsPublic(embeddedV4);
  if ((g0 & 0xffc0) === 0xfe80) return false; // link-local
  if ((g0 & 0xfe00) === 0xfc00) return false; // unique-local
  if ((g0 & 0xff00) === 0xff00) return false; // multicast
  if (g0 === 0x2001 && g[1] === 0xdb8) return false; // documentation
  return true;
}

/** True only for a well-formed public IPv4 or IPv6 address. */
export function isPublicAddress(address: string): boolean {
  if (isIPv4(address)) return v4IsPublic(v4Number(address));
  const bare = address.replace(/^\[|\]$/g, "");
  if (isIPv6(bare)) return v6IsPublic(bare);
  return false;
}
