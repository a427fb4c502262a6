import { createHash, createHmac, randomBytes } from 'node:crypto';

// OpenSSH known_hosts, read without I/O: plain and hashed (`|1|salt|hash`) host fields,
// `[host]:port`, comma lists, `*`/`?` wildcards, `!negation`, `@revoked`.
// `@cert-authority` lines are kept but ignored for matching (minesweep does not verify
// host certificates; such hosts need a plain key line).

export interface KnownHostEntry {
  marker?: '@revoked' | '@cert-authority';
  /** the host field as written (comma list, or one hashed `|1|salt|hash`) */
  hosts: string;
  keyType: string;
  /** base64 of the key blob */
  key: string;
  /** where it came from, for messages and the fix command */
  file: string;
  line: number;
}

/** Parse one known_hosts file's text; malformed lines are skipped like OpenSSH does. */
export function parseKnownHosts(text: string, file: string): KnownHostEntry[] {
  const out: KnownHostEntry[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const fields = line.split(/\s+/);
    let marker: KnownHostEntry['marker'];
    if (fields[0] === '@revoked' || fields[0] === '@cert-authority') marker = fields.shift() as KnownHostEntry['marker'];
    else if (fields[0]?.startsWith('@')) return;
    const [hosts, keyType, key] = fields;
    if (!hosts || !keyType || !key) return;
    out.push({ ...(marker ? { marker } : {}), hosts, keyType, key, file, line: i + 1 });
  });
  return out;
}

/** The name OpenSSH looks up: `host` on port 22, `[host]:port` otherwise. */
export function hostKeyName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

const compiled = new Map<string, RegExp>();
function globToRegExp(pattern: string): RegExp {
  let re = compiled.get(pattern);
  if (re) return re;
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  re = new RegExp(`^${body}$`, 'i');
  if (compiled.size < 100_000) compiled.set(pattern, re);
  return re;
}

/** OpenSSH pattern-list semantics: a negated match vetoes, otherwise any positive match wins. */
export function matchPatternList(list: string[], name: string): boolean {
  let matched = false;
  for (const p of list) {
    if (p.startsWith('!')) {
      if (globToRegExp(p.slice(1)).test(name)) return false;
    } else if (globToRegExp(p).test(name)) matched = true;
  }
  return matched;
}

function hashedMatches(field: string, name: string): boolean {
  const [, magic, salt, hash] = field.split('|');
  if (magic !== '1' || !salt || !hash) return false;
  const got = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64');
  return got === hash;
}

/** Does this entry's host field name this host? */
export function entryMatchesHost(entry: KnownHostEntry, host: string, port: number): boolean {
  const name = hostKeyName(host, port);
  if (entry.hosts.startsWith('|')) return hashedMatches(entry.hosts, name);
  return matchPatternList(entry.hosts.split(','), name);
}

export type HostKeyVerdict =
  | { kind: 'known'; entry: KnownHostEntry }
  | { kind: 'unknown' }
  | { kind: 'changed'; entries: KnownHostEntry[] }
  | { kind: 'revoked'; entry: KnownHostEntry };

/** The key type written inside an SSH key blob (its first string). */
export function keyTypeOfBlob(blob: Buffer): string {
  if (blob.length < 4) return '';
  const n = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + n).toString('latin1');
}

/**
 * The entries of one list, indexed so that a fleet of 10,000 hosts against a known_hosts of
 * 10,000 lines does not test every pattern of every line for every host: plain host fields
 * (names only, no wildcard, negation or hash) by lower-cased name; the rest (patterns, hashed
 * fields) tested in file order. What a name matches is memoised.
 */
interface EntryIndex {
  plain: Map<string, KnownHostEntry[]>;
  /** entries whose host field needs matching (patterns, negations, hashes), in file order */
  other: KnownHostEntry[];
  /** each unmarked entry's position in the list */
  order: Map<KnownHostEntry, number>;
  revoked: KnownHostEntry[];
  memo: Map<string, KnownHostEntry[]>;
}
const indexes = new WeakMap<KnownHostEntry[], EntryIndex>();

function indexOf(entries: KnownHostEntry[]): EntryIndex {
  let ix = indexes.get(entries);
  if (ix) return ix;
  ix = { plain: new Map(), other: [], order: new Map(), revoked: [], memo: new Map() };
  entries.forEach((e, i) => {
    if (e.marker === '@revoked') ix!.revoked.push(e);
    if (e.marker) return;
    ix!.order.set(e, i);
    if (e.hosts.startsWith('|') || /[*?!]/.test(e.hosts)) return void ix!.other.push(e);
    for (const name of new Set(e.hosts.toLowerCase().split(','))) {
      const list = ix!.plain.get(name) ?? [];
      list.push(e);
      ix!.plain.set(name, list);
    }
  });
  indexes.set(entries, ix);
  return ix;
}

/** The (unmarked) entries naming this host, in file order. */
export function entriesForHost(entries: KnownHostEntry[], host: string, port: number): KnownHostEntry[] {
  const ix = indexOf(entries);
  const name = hostKeyName(host, port);
  const hit = ix.memo.get(name);
  if (hit) return hit;
  const found = [...(ix.plain.get(name.toLowerCase()) ?? [])];
  for (const e of ix.other) if (entryMatchesHost(e, host, port)) found.push(e);
  found.sort((a, b) => ix.order.get(a)! - ix.order.get(b)!);
  if (ix.memo.size < 100_000) ix.memo.set(name, found);
  return found;
}

/** Judge the key a host presented against every known_hosts entry (all files together). */
export function judgeHostKey(entries: KnownHostEntry[], host: string, port: number, blob: Buffer): HostKeyVerdict {
  const b64 = blob.toString('base64');
  const revoked = indexOf(entries).revoked.find((e) => e.key === b64);
  if (revoked) return { kind: 'revoked', entry: revoked };
  const forHost = entriesForHost(entries, host, port);
  const same = forHost.find((e) => e.key === b64);
  if (same) return { kind: 'known', entry: same };
  if (forHost.length === 0) return { kind: 'unknown' };
  return { kind: 'changed', entries: forHost };
}

/** Key types already known for a host, so the handshake asks for those first (as OpenSSH does). */
export function knownKeyTypes(entries: KnownHostEntry[], host: string, port: number): string[] {
  const types = entriesForHost(entries, host, port).map((e) => e.keyType);
  return [...new Set(types)];
}

/** A known_hosts line pinning this key (plain host field, or hashed when asked). */
export function knownHostsLine(host: string, port: number, blob: Buffer, hashed = false): string {
  const name = hostKeyName(host, port);
  let field = name;
  if (hashed) {
    const salt = randomBytes(20);
    field = `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
  }
  return `${field} ${keyTypeOfBlob(blob)} ${blob.toString('base64')}`;
}

/** The command that removes the stale entry, as OpenSSH prints it. */
export function fixCommand(host: string, port: number, file: string): string {
  const name = hostKeyName(host, port);
  return `ssh-keygen -R '${name}' -f '${file}'`;
}

/** SHA256 fingerprint as `ssh-keygen -l` prints it. */
export function fingerprint(blob: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(blob).digest('base64').replace(/=+$/, '');
}
