import { createHash } from 'node:crypto';
import type { Ioc } from '../findings/types.js';

// A run's IOCs as a STIX 2.1 bundle: an identity for minesweep, one malware SDO per family
// (is_family), one indicator per IOC (pattern_type stix) and an `indicates` relationship from
// each indicator to its family's malware. Ids are UUIDv5 of type and value, so exporting the
// same run again gives the same ids; an IOC listed under two families is one indicator with two
// relationships. Key fingerprints and wallets have no STIX object: they are skipped and the
// bundle's identity says so; so is a value the STIX object cannot hold (a port above 65535, a
// domain that is not a host name, a hash that is not 64 hex digits).

const NAMESPACE = '6f1c9a52-3f0e-5b8e-9d2a-7c4e1b0a9f31';

/** RFC 4122 version 5 (SHA-1) UUID of `name` in `namespace`. */
export function uuidv5(name: string, namespace = NAMESPACE): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const h = createHash('sha1').update(ns).update(name, 'utf8').digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/** A STIX pattern string literal: backslash and quote escaped. */
const lit = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** A URL with every byte outside RFC 3986's characters percent-encoded (url:value MUST be a URI). */
const uri = (s: string): string => s.replace(/[^A-Za-z0-9\-._~!$&'()*+,;=:@/?#[\]%]|%(?![0-9A-Fa-f]{2})/gu, (c) => [...Buffer.from(c, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''));

/** A DNS host name: labels of 1-63 letters, digits or hyphens (non-ASCII letters for IDN), 253 at most. */
const isHostname = (s: string): boolean => s.length > 0 && s.length <= 253 && s.replace(/\.$/, '').split('.').every((l) => /^(?!-)[\p{L}\p{N}-]{1,63}(?<!-)$/u.test(l));

/** The STIX 2.1 pattern of one IOC, or null for a type or value STIX has no object for. */
export function stixPattern(i: Ioc): string | null {
  switch (i.type) {
    case 'ip': return `[${i.value.includes(':') ? 'ipv6-addr' : 'ipv4-addr'}:value = ${lit(i.value)}]`;
    case 'domain': return isHostname(i.value) ? `[domain-name:value = ${lit(i.value)}]` : null;
    case 'url': return `[url:value = ${lit(uri(i.value))}]`;
    case 'sha256': return /^[0-9a-f]{64}$/i.test(i.value) ? `[file:hashes.'SHA-256' = ${lit(i.value.toLowerCase())}]` : null;
    case 'path': {
      const cut = i.value.lastIndexOf('/');
      const name = i.value.slice(cut + 1);
      return cut > 0 ? `[file:name = ${lit(name)} AND file:parent_directory_ref.path = ${lit(i.value.slice(0, cut))}]` : `[file:name = ${lit(name)}]`;
    }
    case 'process-name': return `[process:image_ref.name = ${lit(i.value)}]`;
    // a stratum port: TCP
    case 'port': return /^\d{1,5}$/.test(i.value) && Number(i.value) <= 65535 ? `[network-traffic:dst_port = ${Number(i.value)} AND network-traffic:protocols[*] = 'tcp']` : null;
    case 'user': return `[user-account:account_login = ${lit(i.value)}]`;
    // STIX 2.1 has no cyber-observable for a wallet (nor for a key fingerprint): left out
    case 'wallet':
    case 'key-fingerprint': return null;
  }
}

export interface StixBundle {
  type: 'bundle';
  id: string;
  objects: Array<Record<string, unknown>>;
}

/** An ISO time to the millisecond, as STIX requires of created and modified. */
const millis = (iso: string): string => {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : new Date(t).toISOString();
};

/** The bundle of `iocs`, seen at `start` (ISO time: the run's start). */
export function stixBundle(iocs: readonly Ioc[], start: string, runId: string): StixBundle {
  const created = millis(start);
  const validFrom = created;
  const identity = `identity--${uuidv5('identity:minesweep')}`;
  const objects: Array<Record<string, unknown>> = [
    { type: 'identity', spec_version: '2.1', id: identity, created: '2026-01-01T00:00:00.000Z', modified: '2026-01-01T00:00:00.000Z', name: 'minesweep', identity_class: 'system', description: 'minesweep sweeps Linux fleets for crypto-mining malware; key fingerprints and wallet addresses are not exported (STIX 2.1 has no object for them), nor values the STIX object cannot hold (a port above 65535, a domain that is not a host name, a hash that is not 64 hex digits)' },
  ];
  const families = [...new Set(iocs.flatMap((i) => (i.family ? [i.family] : [])))].sort();
  const malware = new Map(families.map((f) => [f, `malware--${uuidv5(`malware:${f}`)}`]));
  for (const [name, id] of malware) objects.push({ type: 'malware', spec_version: '2.1', id, created, modified: created, created_by_ref: identity, name, is_family: true, malware_types: ['resource-exploitation'] });
  const seen = new Set<string>();
  for (const i of iocs) {
    const pattern = stixPattern(i);
    if (!pattern) continue;
    const id = `indicator--${uuidv5(`indicator:${i.type}:${i.value}`)}`;
    if (!seen.has(id)) {
      seen.add(id);
      objects.push({ type: 'indicator', spec_version: '2.1', id, created, modified: created, created_by_ref: identity, name: `${i.type} ${i.value}`, indicator_types: ['malicious-activity'], pattern, pattern_type: 'stix', valid_from: validFrom, ...(i.source ? { description: `first seen on ${i.source}` } : {}) });
    }
    const m = i.family ? malware.get(i.family) : undefined;
    const rel = m ? `relationship--${uuidv5(`indicates:${id}:${m}`)}` : undefined;
    if (!rel || seen.has(rel)) continue;
    seen.add(rel);
    objects.push({ type: 'relationship', spec_version: '2.1', id: rel, created, modified: created, created_by_ref: identity, relationship_type: 'indicates', source_ref: id, target_ref: m });
  }
  return { type: 'bundle', id: `bundle--${uuidv5(`bundle:${runId}`)}`, objects };
}
