// The outbound destination policy (SSRF guard): blocked address ranges by rule, and an operator allow-list.
import { BlockList, isIP } from 'node:net';
import { PlatformError } from '../../errors/index.js';

/** The named ranges refused by default. Names appear in ERR_EGRESS_DENIED messages and docs/egress.md. */
export const BLOCKED_RANGES: Readonly<Record<string, readonly string[]>> = {
  unspecified: ['0.0.0.0/8', '::/128'],
  loopback: ['127.0.0.0/8', '::1/128'],
  // RFC 1918 plus the RFC 6598 shared address space (carrier-grade NAT, often internal in clouds).
  private: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'],
  // Includes the cloud metadata endpoint 169.254.169.254 (RFC 3927, RFC 4291 §2.5.6).
  'link-local': ['169.254.0.0/16', 'fe80::/10'],
  // RFC 4193; includes fd00:ec2::254, the IPv6 metadata endpoint of one cloud.
  'unique-local': ['fc00::/7'],
  multicast: ['224.0.0.0/4', 'ff00::/8'],
  reserved: ['240.0.0.0/4', '192.0.0.0/24', '198.18.0.0/15'],
};

/** A denied destination: the rule that matched. */
export interface EgressDenial {
  rule: string;
  address: string;
}

interface Rule {
  name: string;
  list: BlockList;
}

function subnetList(cidrs: readonly string[]): BlockList {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [net, bits] = cidr.split('/') as [string, string];
    list.addSubnet(net, Number(bits), isIP(net) === 6 ? 'ipv6' : 'ipv4');
  }
  return list;
}

const rules: Rule[] = Object.entries(BLOCKED_RANGES).map(([name, cidrs]) => ({ name, list: subnetList(cidrs) }));

/**
 * The IPv4 address an IPv6 address embeds for routing purposes (IPv4-mapped `::ffff:a.b.c.d`, the
 * NAT64 well-known prefix `64:ff9b::/96`), so `[::ffff:127.0.0.1]` is judged as 127.0.0.1.
 */
export function embeddedIpv4(address: string): string | undefined {
  const lower = address.toLowerCase();
  const m = /^(?:::ffff:|64:ff9b::)(?:(\d+\.\d+\.\d+\.\d+)|([0-9a-f]{1,4}):([0-9a-f]{1,4}))$/.exec(lower);
  if (!m) return undefined;
  if (m[1]) return m[1];
  const hi = parseInt(m[2]!, 16);
  const lo = parseInt(m[3]!, 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

/** Host names are compared in lower case without a trailing dot; IPv6 literals without brackets. */
export function normalizeHost(host: string): string {
  let h = host.trim().toLowerCase();
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  return h.endsWith('.') ? h.slice(0, -1) : h;
}

/**
 * Which destinations connectors may reach. Everything public is allowed; the ranges of
 * BLOCKED_RANGES are refused unless an allow-list entry opens them: a host name (exact, or
 * `*.suffix` for its subdomains) allows whatever that name resolves to, an IP or CIDR allows those
 * addresses whatever name led there. Built once at start; immutable.
 */
export class EgressPolicy {
  readonly allow: readonly string[];
  private readonly allowedHosts = new Set<string>();
  private readonly allowedSuffixes: string[] = [];
  private readonly allowedNets = new BlockList();
  /** Verdicts by address (BlockList checks allocate); bounded, cleared when full. */
  private readonly verdicts = new Map<string, EgressDenial | null>();

  constructor(allow: readonly string[] = []) {
    this.allow = Object.freeze([...allow]);
    for (const entry of allow) this.addEntry(entry);
  }

  private addEntry(raw: string): void {
    const entry = normalizeHost(raw);
    const slash = entry.indexOf('/');
    if (slash >= 0) {
      const net = entry.slice(0, slash);
      const bitsText = entry.slice(slash + 1);
      const family = isIP(net);
      const bits = Number(bitsText);
      const max = family === 6 ? 128 : 32;
      if (family === 0 || !/^\d+$/.test(bitsText) || bits > max) {
        throw new PlatformError('ERR_EGRESS_ALLOW_ENTRY', { entry: raw, reason: `expected an address/prefix with a prefix length of 0-${max}` });
      }
      this.allowedNets.addSubnet(net, bits, family === 6 ? 'ipv6' : 'ipv4');
      return;
    }
    const family = isIP(entry);
    if (family !== 0) {
      this.allowedNets.addAddress(entry, family === 6 ? 'ipv6' : 'ipv4');
      return;
    }
    const wildcard = entry.startsWith('*.');
    const name = wildcard ? entry.slice(2) : entry;
    if (!/^[a-z0-9_]([a-z0-9_-]{0,62})(\.[a-z0-9_]([a-z0-9_-]{0,62}))*$/.test(name)) {
      throw new PlatformError('ERR_EGRESS_ALLOW_ENTRY', { entry: raw, reason: 'expected a host name, *.domain, an IP address or a CIDR' });
    }
    if (wildcard) this.allowedSuffixes.push(`.${name}`);
    else this.allowedHosts.add(name);
  }

  /** True when the host name itself is on the allow-list. */
  hostAllowed(host: string): boolean {
    const h = normalizeHost(host);
    return this.allowedHosts.has(h) || this.allowedSuffixes.some((s) => h.endsWith(s));
  }

  /** Why connecting to `address` (reached through the name `host`) is refused, or undefined when allowed. */
  denial(host: string, address: string): EgressDenial | undefined {
    if (this.hostAllowed(host)) return undefined;
    const known = this.verdicts.get(address);
    if (known !== undefined) return known ?? undefined;
    const verdict = this.judge(address);
    if (this.verdicts.size >= 4096) this.verdicts.clear();
    this.verdicts.set(address, verdict ?? null);
    return verdict;
  }

  private judge(address: string): EgressDenial | undefined {
    const addr = normalizeHost(address);
    const family = isIP(addr);
    if (family === 0) return { rule: 'invalid', address: addr };
    const v4 = family === 6 ? embeddedIpv4(addr) : undefined;
    const [check, type] = v4 !== undefined ? [v4, 'ipv4' as const] : [addr, family === 6 ? ('ipv6' as const) : ('ipv4' as const)];
    if (this.allowedNets.check(check, type) || (check !== addr && this.allowedNets.check(addr, 'ipv6'))) return undefined;
    for (const rule of rules) if (rule.list.check(check, type)) return { rule: rule.name, address: addr };
    return undefined;
  }

  /** Throws ERR_EGRESS_DENIED when `address` may not be reached. */
  check(host: string, address: string): void {
    const denied = this.denial(host, address);
    if (denied) throw egressDenied(host, denied);
  }
}

/** The coded error of a refused destination; names the rule, never credentials of the URL. */
export function egressDenied(host: string, denial: EgressDenial): PlatformError {
  return new PlatformError('ERR_EGRESS_DENIED', { host: normalizeHost(host), address: denial.address, rule: denial.rule });
}

/** The policy with nothing opened: every blocked range refused. */
export const defaultEgressPolicy = new EgressPolicy();

/** Allow-list entries from options or a comma-separated variable, each checked (ERR_EGRESS_ALLOW_ENTRY). */
export function parseAllowEgress(v: readonly string[] | string | undefined): string[] {
  const entries = (typeof v === 'string' ? v.split(',') : (v ?? [])).map((e) => e.trim()).filter(Boolean);
  new EgressPolicy(entries);
  return entries;
}
