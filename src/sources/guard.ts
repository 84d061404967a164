/**
 * Which network addresses Sitrep may fetch from. A URL's host is checked
 * after DNS resolution, and the address that was checked is the one the
 * socket connects to (the `lookup` hook below hands it to the connection), so
 * a name that resolves to a public address when checked and to 10.0.0.1 a
 * moment later (DNS rebinding) cannot slip through. IP literals, which skip
 * DNS, are checked before any connection.
 *
 * Policies (FETCH_ALLOW_PRIVATE):
 * - `public` (default, "false"): public unicast addresses only;
 * - `loopback`: public plus loopback (127.0.0.0/8, ::1), for tests against a
 *   local server; private, link-local and metadata addresses stay refused;
 * - `any` ("true"): every address (an operator on a private network).
 */
import { lookup as dnsLookup } from 'node:dns';
import type { LookupAddress, LookupOptions } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { SourceError } from './errors.js';

export type AddressPolicy = 'public' | 'loopback' | 'any';

/** The name of an address's range, as the refusal says it. */
const RANGE_WORDS: Record<string, string> = {
  private: 'a private network',
  loopback: 'this machine (loopback)',
  linkLocal: 'a link-local address (cloud metadata lives there)',
  uniqueLocal: 'a private network',
  carrierGradeNat: 'a carrier-grade NAT (private) range',
  unspecified: 'the unspecified address',
  broadcast: 'a broadcast address',
  multicast: 'a multicast address',
  reserved: 'a reserved range',
};

/** Why an address may not be fetched from under `policy`, or null when it may. */
export function addressRefusal(address: string, policy: AddressPolicy): string | null {
  if (policy === 'any') return null;
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    // process() turns an IPv4-mapped IPv6 address (::ffff:10.0.0.1) into the IPv4 one it carries.
    parsed = ipaddr.process(address.replace(/^\[|\]$/g, '').replace(/%.*$/, ''));
  } catch {
    return 'not an address';
  }
  const range = parsed.range();
  if (range === 'unicast') return null;
  if (range === 'loopback' && policy === 'loopback') return null;
  return RANGE_WORDS[range] ?? `a special-purpose range (${range})`;
}

/** Throws SourceError('PrivateAddress') unless `address` may be fetched from. */
export function assertAllowedAddress(address: string, host: string, policy: AddressPolicy): void {
  const refusal = addressRefusal(address, policy);
  if (refusal) throw new SourceError('PrivateAddress', `${host} is ${refusal} (${address}); Sitrep does not fetch from it`, { host, address, range: refusal });
}

export type Resolver = (host: string) => Promise<LookupAddress[]>;

/** The system resolver (getaddrinfo, as connections use by default), every address. */
export const systemResolver: Resolver = (host) =>
  new Promise((resolve, reject) => dnsLookup(host, { all: true, verbatim: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))));

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for http.request / net.connect that resolves with `resolver`,
 * refuses the whole name when any of its addresses is not allowed, and hands
 * the connection exactly the addresses it checked.
 */
export function guardedLookup(policy: AddressPolicy, resolver: Resolver = systemResolver) {
  return (host: string, options: LookupOptions, callback: LookupCallback): void => {
    resolver(host).then(
      (addresses) => {
        const wanted = options.family === 4 || options.family === 6 ? addresses.filter((a) => a.family === options.family) : addresses;
        if (wanted.length === 0) {
          callback(Object.assign(new Error(`no address for ${host}`), { code: 'ENOTFOUND' }), '', 0);
          return;
        }
        for (const a of wanted) {
          const refusal = addressRefusal(a.address, policy);
          if (refusal) {
            callback(new SourceError('PrivateAddress', `${host} resolves to ${refusal} (${a.address}); Sitrep does not fetch from it`, { host, address: a.address, range: refusal }) as unknown as NodeJS.ErrnoException, '', 0);
            return;
          }
        }
        if (options.all) callback(null, wanted);
        else callback(null, wanted[0]!.address, wanted[0]!.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    );
  };
}

/** Checks a URL's host when it is an IP literal (connections to literals skip DNS, so the lookup hook never sees them). */
export function checkLiteralHost(url: URL, policy: AddressPolicy): void {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) assertAllowedAddress(host, url.hostname, policy);
}

/** FETCH_ALLOW_PRIVATE's value as a policy: false (default) → public, loopback → loopback, true → any; null when unreadable. */
export function addressPolicyFrom(value: string | null | undefined): AddressPolicy | null {
  const v = (value ?? '').trim().toLowerCase();
  if (v === '' || v === 'false' || v === '0' || v === 'no') return 'public';
  if (v === 'loopback') return 'loopback';
  if (v === 'true' || v === '1' || v === 'yes') return 'any';
  return null;
}
