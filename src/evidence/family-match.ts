import type { Catalogue, Family, ProcessRole } from '../catalogue/types.js';
import type { ProcessFact } from '../facts/types.js';
import { globMatch, pathGlobMatch } from './glob.js';
import { basename, stripDeleted } from './paths.js';

// Which catalogue family a process, a path, a piece of text or a unit belongs to.

export interface FamilyHit {
  family: Family;
  /** what matched, for the evidence ("process name kdevtmpfsi") */
  why: string;
  role: ProcessRole;
}

/** The names a process goes by: comm, argv[0] basename, exe basename. */
export function processNames(p: ProcessFact): string[] {
  const names = [p.comm];
  if (p.argv[0]) names.push(basename(p.argv[0]));
  if (p.exe) names.push(basename(p.exe));
  return [...new Set(names.filter(Boolean))];
}

/** A family by process name (never for kernel threads). */
export function familyByProcessName(p: ProcessFact, cat: Catalogue): FamilyHit | null {
  if (p.kernelThread) return null;
  const names = processNames(p);
  const ordered = [...cat.families.filter((f) => !f.generic), ...cat.families.filter((f) => f.generic)];
  for (const family of ordered)
    for (const fp of family.processes) {
      // comm is cut at 15 characters: compare the glob against the cut name too
      const name = names.find((n) => globMatch(fp.name, n) || (n === p.comm && n.length === 15 && globMatch(fp.name.slice(0, 15), n)));
      if (name !== undefined) return { family, why: `process name ${name} (${family.name})`, role: fp.role };
    }
  return null;
}

/** `find` memoised per catalogue and string (rules ask the same question for many lines and hosts). */
function memoised(find: (s: string, cat: Catalogue) => FamilyHit | null): (s: string, cat: Catalogue) => FamilyHit | null {
  const memos = new WeakMap<Catalogue, Map<string, FamilyHit | null>>();
  return (s, cat) => {
    let memo = memos.get(cat);
    if (!memo) memos.set(cat, (memo = new Map()));
    let hit = memo.get(s);
    if (hit === undefined) memo.set(s, (hit = find(s, cat)));
    return hit;
  };
}

/** A family by a dropped path (file or inside a family directory). Memoised per catalogue. */
export const familyByPath = memoised(pathFamily);

function pathFamily(path: string, cat: Catalogue): FamilyHit | null {
  const p = stripDeleted(path);
  for (const family of cat.families)
    for (const g of family.paths) if (pathGlobMatch(g, p)) return { family, why: `path ${p} (${family.name})`, role: 'other' };
  return null;
}

/** The shortest prefix of `path` a family names (/tmp/.X2xi-unix for /tmp/.X2xi-unix/.rsync/a/x), else the path. */
export function familyRoot(path: string, cat: Catalogue): string {
  const p = stripDeleted(path);
  const parts = p.split('/');
  for (let n = 2; n <= parts.length; n++) {
    const prefix = parts.slice(0, n).join('/');
    if (cat.families.some((f) => f.paths.some((g) => !g.endsWith('*') && globMatch(g, prefix)))) return prefix;
  }
  return p;
}

const ipRes = new Map<string, RegExp>();
function ipRegExp(ip: string): RegExp {
  let re = ipRes.get(ip);
  if (!re) ipRes.set(ip, (re = new RegExp(`(^|[^0-9.])${ip.replace(/\./g, '\\.')}($|[^0-9])`)));
  return re;
}

/** A family by a string in text (cron line, ExecStart, argv, profile line). Memoised per catalogue. */
export const familyByText = memoised(textFamily);

function textFamily(text: string, cat: Catalogue): FamilyHit | null {
  for (const family of cat.families) {
    const s = family.strings.find((x) => text.includes(x));
    if (s !== undefined) return { family, why: `"${s}" (${family.name})`, role: 'other' };
    const u = family.urls.find((x) => text.includes(x));
    if (u !== undefined) return { family, why: `URL ${u} (${family.name})`, role: 'other' };
    const d = family.domains.find((x) => text.toLowerCase().includes(x));
    if (d !== undefined) return { family, why: `domain ${d} (${family.name})`, role: 'other' };
    const ip = family.ips.find((x) => text.includes(x) && ipRegExp(x).test(text));
    if (ip !== undefined) return { family, why: `address ${ip} (${family.name})`, role: 'other' };
  }
  return null;
}

/** A family for a process by name, exe path, or argv text, in that order. */
export function familyOfProcess(p: ProcessFact, cat: Catalogue): FamilyHit | null {
  if (p.kernelThread) return null;
  const hits = [familyByProcessName(p, cat), p.exe ? familyByPath(p.exe, cat) : null, familyByText(p.argv.join(' '), cat)];
  return hits.find((h) => h && !h.family.generic) ?? hits.find((h) => h) ?? null;
}

/** A generic miner marker (stratum URL, --donate-level …) in text, with its family if any. */
export function minerMarker(text: string, cat: Catalogue): { text: string; family?: string } | null {
  return cat.minerMarkers.find((m) => text.includes(m.text)) ?? null;
}

/** A pool domain in text: a catalogue pool domain or a subdomain of one. */
export function poolDomainIn(text: string, cat: Catalogue): string | null {
  const lower = text.toLowerCase();
  for (const d of cat.poolDomains) {
    const i = lower.indexOf(d);
    if (i < 0) continue;
    const before = i === 0 ? '' : lower[i - 1]!;
    const after = lower[i + d.length] ?? '';
    if (/[a-z0-9-]/.test(after)) continue;
    if (before === '' || before === '.' || !/[a-z0-9-]/.test(before)) {
      // widen to the full host name
      const m = /[a-z0-9.-]*$/.exec(lower.slice(0, i))![0];
      return (m + d).replace(/^\.+/, '');
    }
  }
  return null;
}
