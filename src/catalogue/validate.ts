import type { Ioc, IocType } from '../findings/types.js';
import { emptyCatalogue, type Catalogue, type Family, type FamilyProcess, type MinerMarker } from './types.js';

// Pure validation of one parsed catalogue / --ioc document. I/O lives in load.ts; this
// gets the parsed value and a function that maps a path inside it to a line number.

export interface CatalogueError {
  file: string;
  line: number;
  message: string;
}

/** Maps a path inside the document (keys and indexes) to its 1-based line. */
export type Locate = (path: Array<string | number>) => number;

type Path = Array<string | number>;

const IOC_TYPES: IocType[] = ['ip', 'domain', 'url', 'sha256', 'path', 'process-name', 'port', 'key-fingerprint', 'user', 'wallet'];
const ROLES = ['miner', 'watchdog', 'other'] as const;
const TOP_KEYS = ['families', 'minerPorts', 'poolDomains', 'minerMarkers', 'kernelThreadNames', 'rootkitModules', 'iocs', 'trustedKeys'];
const FAMILY_LIST_KEYS = ['paths', 'strings', 'units', 'preload', 'accounts', 'keyComments', 'domains', 'ips', 'urls', 'sha256'] as const;
const FAMILY_KEYS = ['id', 'name', 'description', 'processes', 'remedy', 'generic', ...FAMILY_LIST_KEYS];

class Checker {
  readonly errors: CatalogueError[] = [];
  constructor(
    private readonly file: string,
    private readonly locate: Locate,
  ) {}

  fail(path: Path, expected: string, got: unknown, fix: string): void {
    const where = path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i ? `.${p}` : p)).join('');
    this.errors.push({
      file: this.file,
      line: this.locate(path),
      message: `${where || 'document'}: expected ${expected}, got ${describe(got)}. ${fix}`,
    });
  }

  record(value: unknown, path: Path, keys: string[]): Record<string, unknown> | null {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      this.fail(path, 'a mapping', value, 'Write it as "key: value" lines.');
      return null;
    }
    const rec = value as Record<string, unknown>;
    for (const k of Object.keys(rec))
      if (!keys.includes(k)) this.fail([...path, k], `one of the keys ${keys.join(', ')}`, k, 'Fix the spelling or remove the key.');
    return rec;
  }

  list(value: unknown, path: Path): unknown[] {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) {
      this.fail(path, 'a list', value, 'Write it as [a, b] or as "- item" lines.');
      return [];
    }
    return value;
  }

  strings(value: unknown, path: Path, check?: (s: string) => string | null): string[] {
    const out: string[] = [];
    this.list(value, path).forEach((v, i) => {
      if (typeof v !== 'string' && typeof v !== 'number') return this.fail([...path, i], 'a string', v, 'Quote the value.');
      const s = String(v);
      const problem = s === '' ? 'a non-empty string' : check?.(s);
      if (problem) return this.fail([...path, i], problem, s, 'Correct or remove the entry.');
      out.push(s);
    });
    return out;
  }

  ports(value: unknown, path: Path): number[] {
    const out: number[] = [];
    this.list(value, path).forEach((v, i) => {
      if (typeof v === 'number' && Number.isInteger(v) && v > 0 && v < 65536) out.push(v);
      else this.fail([...path, i], 'a port number 1-65535', v, 'Write the port as a bare number.');
    });
    return out;
  }
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return JSON.stringify(v);
}

const isSha256 = (s: string): string | null => (/^[0-9a-f]{64}$/i.test(s) ? null : '64 hex digits (sha256)');
const isIp = (s: string): string | null => (/^(\d{1,3}\.){3}\d{1,3}$|^[0-9a-f:]+:[0-9a-f:.]*$/i.test(s) ? null : 'an IPv4 or IPv6 address');
const isDomain = (s: string): string | null => (/^[a-z0-9*]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/i.test(s) ? null : 'a domain name like pool.example.com');
const isUrl = (s: string): string | null => (/^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(s) ? null : 'a URL with a scheme (http://…)');

function family(c: Checker, value: unknown, path: Path): Family | null {
  const rec = c.record(value, path, FAMILY_KEYS);
  if (!rec) return null;
  if (rec.generic !== undefined && typeof rec.generic !== 'boolean') c.fail([...path, 'generic'], 'true or false', rec.generic, 'Write generic: true for a catch-all family.');
  const id = rec.id;
  if (typeof id !== 'string' || !/^[a-z0-9][a-z0-9._-]*$/.test(id)) {
    c.fail([...path, 'id'], 'an id of lowercase letters, digits, ".", "_" or "-"', id, 'Give the family an id such as "kinsing".');
    return null;
  }
  const text = (k: string): string => {
    const v = rec[k];
    if (v === undefined) return '';
    if (typeof v !== 'string') c.fail([...path, k], 'a string', v, 'Quote the value.');
    return typeof v === 'string' ? v : '';
  };
  const processes: FamilyProcess[] = [];
  c.list(rec.processes, [...path, 'processes']).forEach((p, i) => {
    const pp = [...path, 'processes', i];
    if (typeof p === 'string' && p) return void processes.push({ name: p, role: 'miner' });
    const pr = c.record(p, pp, ['name', 'role']);
    if (!pr) return;
    if (typeof pr.name !== 'string' || !pr.name) return c.fail([...pp, 'name'], 'a process name', pr.name, 'Add name: <comm>.');
    const role = pr.role ?? 'miner';
    if (!ROLES.includes(role as never)) return c.fail([...pp, 'role'], `one of ${ROLES.join(', ')}`, role, 'Use miner, watchdog or other.');
    processes.push({ name: pr.name, role: role as FamilyProcess['role'] });
  });
  const list = (k: (typeof FAMILY_LIST_KEYS)[number], check?: (s: string) => string | null): string[] =>
    c.strings(rec[k], [...path, k], check);
  return {
    id,
    name: text('name') || id,
    description: text('description'),
    processes,
    paths: list('paths', (s) => (s.startsWith('/') || s.startsWith('~/') ? null : 'an absolute path (/…) or a home path (~/…)')),
    strings: list('strings'),
    units: list('units'),
    preload: list('preload'),
    accounts: list('accounts'),
    keyComments: list('keyComments'),
    domains: list('domains', isDomain).map((d) => d.toLowerCase()),
    ips: list('ips', isIp),
    urls: list('urls', isUrl),
    sha256: list('sha256', isSha256).map((h) => h.toLowerCase()),
    remedy: text('remedy'),
    ...(rec.generic === true ? { generic: true } : {}),
  };
}

function ioc(c: Checker, value: unknown, path: Path): Ioc | null {
  const rec = c.record(value, path, ['type', 'value', 'family', 'source']);
  if (!rec) return null;
  if (!IOC_TYPES.includes(rec.type as IocType)) {
    c.fail([...path, 'type'], `one of ${IOC_TYPES.join(', ')}`, rec.type, 'Set type to the kind of indicator.');
    return null;
  }
  const type = rec.type as IocType;
  const raw = rec.value;
  if ((typeof raw !== 'string' && typeof raw !== 'number') || String(raw) === '') {
    c.fail([...path, 'value'], 'the indicator value', raw, 'Add value: <indicator>.');
    return null;
  }
  const v = String(raw);
  const checks: Partial<Record<IocType, (s: string) => string | null>> = {
    ip: isIp,
    domain: isDomain,
    url: isUrl,
    sha256: isSha256,
    port: (s) => (/^\d{1,5}$/.test(s) && +s > 0 && +s < 65536 ? null : 'a port number 1-65535'),
    path: (s) => (s.startsWith('/') ? null : 'an absolute path'),
  };
  const problem = checks[type]?.(v);
  if (problem) {
    c.fail([...path, 'value'], problem, v, 'Correct the value or its type.');
    return null;
  }
  const out: Ioc = { type, value: type === 'sha256' || type === 'domain' ? v.toLowerCase() : v };
  if (typeof rec.family === 'string' && rec.family) out.family = rec.family;
  if (typeof rec.source === 'string' && rec.source) out.source = rec.source;
  return out;
}

/** Validate one parsed document (a catalogue file or an --ioc file). */
export function validateCatalogue(data: unknown, file: string, locate: Locate): { catalogue: Catalogue; errors: CatalogueError[] } {
  const c = new Checker(file, locate);
  const cat = emptyCatalogue();
  cat.sources.push(file);
  if (data === null || data === undefined) return { catalogue: cat, errors: [] };
  const rec = c.record(data, [], TOP_KEYS);
  if (!rec) return { catalogue: cat, errors: c.errors };
  c.list(rec.families, ['families']).forEach((f, i) => {
    const fam = family(c, f, ['families', i]);
    if (fam) cat.families.push(fam);
  });
  cat.minerPorts = c.ports(rec.minerPorts, ['minerPorts']);
  cat.poolDomains = c.strings(rec.poolDomains, ['poolDomains'], isDomain).map((d) => d.toLowerCase());
  c.list(rec.minerMarkers, ['minerMarkers']).forEach((m, i) => {
    const path = ['minerMarkers', i];
    if (typeof m === 'string' && m) return void cat.minerMarkers.push({ text: m });
    const mr = c.record(m, path, ['text', 'family']);
    if (!mr) return;
    if (typeof mr.text !== 'string' || !mr.text) return c.fail([...path, 'text'], 'the marker text', mr.text, 'Add text: <substring>.');
    const marker: MinerMarker = { text: mr.text };
    if (typeof mr.family === 'string') marker.family = mr.family;
    cat.minerMarkers.push(marker);
  });
  cat.kernelThreadNames = c.strings(rec.kernelThreadNames, ['kernelThreadNames']);
  cat.rootkitModules = c.strings(rec.rootkitModules, ['rootkitModules']);
  cat.trustedKeys = c.strings(rec.trustedKeys, ['trustedKeys'], (s) => (s.startsWith('SHA256:') ? null : 'a fingerprint like SHA256:…'));
  c.list(rec.iocs, ['iocs']).forEach((v, i) => {
    const one = ioc(c, v, ['iocs', i]);
    if (one) cat.iocs.push(one);
  });
  return { catalogue: cat, errors: c.errors };
}

/** Check references between merged documents: marker families must exist. */
export function crossCheck(cat: Catalogue): string[] {
  const ids = new Set(cat.families.map((f) => f.id));
  const problems: string[] = [];
  for (const m of cat.minerMarkers)
    if (m.family && !ids.has(m.family)) problems.push(`miner marker "${m.text}" names family "${m.family}", which no catalogue file defines; add the family or drop family:`);
  return problems;
}
