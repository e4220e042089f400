import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';
import { InfraredError } from './errors';

export const INDICATOR_TYPES = ['IP', 'CIDR', 'DOMAIN', 'URL', 'EMAIL', 'HASH', 'ASN'] as const;
export type IndicatorType = (typeof INDICATOR_TYPES)[number];

export interface Indicator {
  type: IndicatorType;
  value: string;
}

export class IndicatorError extends InfraredError {
  constructor(message: string) {
    super('INVALID_INDICATOR', message);
  }
}

/** IPv4 as four decimal octets; IPv6 in its canonical (RFC 5952) compressed lower-case form. */
export function canonicalIp(text: string): string {
  const value = text.trim();
  const family = isIP(value);
  if (family === 4)
    return value
      .split('.')
      .map((o) => String(Number(o)))
      .join('.');
  if (family === 6) return new URL(`http://[${value}]/`).hostname.slice(1, -1);
  throw new IndicatorError(`"${text}" is not an IPv4 or IPv6 address`);
}

/** `10.1.2.3/8` → `10.0.0.0/8`: the network address and prefix length. */
export function canonicalCidr(text: string): string {
  const [address, prefixText, extra] = text.trim().split('/');
  if (extra !== undefined || prefixText === undefined || !/^\d{1,3}$/.test(prefixText)) throw new IndicatorError(`"${text}" is not a CIDR block such as 203.0.113.0/24`);
  const ip = canonicalIp(address);
  const v6 = ip.includes(':');
  const bits = v6 ? 128 : 32;
  const prefix = Number(prefixText);
  if (prefix > bits) throw new IndicatorError(`"${text}": prefix /${prefix} is longer than ${bits} bits`);
  const n = toBigInt(ip);
  const mask = prefix === 0 ? 0n : ((1n << BigInt(prefix)) - 1n) << BigInt(bits - prefix);
  return `${fromBigInt(n & mask, v6)}/${prefix}`;
}

function toBigInt(ip: string): bigint {
  if (!ip.includes(':')) return ip.split('.').reduce((acc, o) => (acc << 8n) | BigInt(Number(o)), 0n);
  const [head, tail = ''] = ip.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h;
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

function fromBigInt(n: bigint, v6: boolean): string {
  if (!v6) return [24n, 16n, 8n, 0n].map((s) => String((n >> s) & 255n)).join('.');
  const groups = Array.from({ length: 8 }, (_, i) => ((n >> BigInt(112 - i * 16)) & 0xffffn).toString(16));
  return canonicalIp(groups.join(':'));
}

/** Lower-case, IDN to punycode, trailing dot stripped; refuses what is not a host name. */
export function canonicalDomain(text: string): string {
  const trimmed = text.trim().replace(/\.$/, '');
  const ascii = domainToASCII(trimmed.toLowerCase());
  if (!ascii || ascii.length > 253 || !/^(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$/.test(ascii) || isIP(ascii)) {
    throw new IndicatorError(`"${text}" is not a domain name`);
  }
  return ascii;
}

const HASH_LENGTHS = new Set([32, 40, 64]);

/**
 * Validates and normalises an indicator of compromise. Throws IndicatorError with a readable
 * message for an invalid one.
 * @example normalizeIndicator({ type: 'DOMAIN', value: 'Bücher.Example.' }) // { type: 'DOMAIN', value: 'xn--bcher-kva.example' }
 */
export function normalizeIndicator(indicator: { type: string; value: string }): Indicator {
  const value = String(indicator.value ?? '').trim();
  if (value.length === 0 || value.length > 2048) throw new IndicatorError('indicator value must be 1 to 2048 characters');
  switch (indicator.type) {
    case 'IP':
      return { type: 'IP', value: canonicalIp(value) };
    case 'CIDR':
      return { type: 'CIDR', value: canonicalCidr(value) };
    case 'DOMAIN':
      return { type: 'DOMAIN', value: canonicalDomain(value) };
    case 'URL': {
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        throw new IndicatorError(`"${value}" is not a URL`);
      }
      if (!['http:', 'https:', 'ftp:'].includes(url.protocol)) throw new IndicatorError(`"${value}": only http, https and ftp URLs`);
      return { type: 'URL', value: url.toString() };
    }
    case 'EMAIL': {
      const at = value.lastIndexOf('@');
      const local = value.slice(0, at);
      if (at <= 0 || local.length > 64 || !/^[^\s@"(),:;<>[\\\]]+$/.test(local)) throw new IndicatorError(`"${value}" is not an e-mail address`);
      return { type: 'EMAIL', value: `${local}@${canonicalDomain(value.slice(at + 1))}` };
    }
    case 'HASH': {
      const hex = value.toLowerCase();
      if (!/^[0-9a-f]+$/.test(hex) || !HASH_LENGTHS.has(hex.length)) throw new IndicatorError(`"${value}" is not an MD5, SHA-1 or SHA-256 hash (32, 40 or 64 hex digits)`);
      return { type: 'HASH', value: hex };
    }
    case 'ASN': {
      const match = /^(?:AS)?(\d{1,10})$/i.exec(value);
      if (!match || Number(match[1]) > 4294967295) throw new IndicatorError(`"${value}" is not an AS number such as AS64500`);
      return { type: 'ASN', value: `AS${Number(match[1])}` };
    }
    default:
      throw new IndicatorError(`unknown indicator type "${indicator.type}"`);
  }
}

/**
 * Guesses the type of a search term ("Has anyone seen this?"): an IP, a CIDR, a hash, an AS
 * number, an e-mail, a URL, or else a domain.
 */
export function classifyIndicator(term: string): Indicator {
  const value = term.trim();
  if (isIP(value)) return normalizeIndicator({ type: 'IP', value });
  if (value.includes('/') && isIP(value.split('/')[0])) return normalizeIndicator({ type: 'CIDR', value });
  if (/^[0-9a-f]{32}$|^[0-9a-f]{40}$|^[0-9a-f]{64}$/i.test(value)) return normalizeIndicator({ type: 'HASH', value });
  if (/^AS\d+$/i.test(value)) return normalizeIndicator({ type: 'ASN', value });
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return normalizeIndicator({ type: 'URL', value });
  if (value.includes('@')) return normalizeIndicator({ type: 'EMAIL', value });
  return normalizeIndicator({ type: 'DOMAIN', value });
}
