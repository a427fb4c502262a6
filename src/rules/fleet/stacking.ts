import type { HostFacts } from '../../facts/types.js';
import type { Finding, Severity } from '../../findings/types.js';
import { commandLines } from '../../evidence/line-judge.js';

// Fleet stacking: what only a fleet tool can see. Per inventory group, per kind of artifact
// (cron line, unit, enabled service, listening binary, key fingerprint, uid-0 account, sudoers
// rule), the hosts whose set of that kind is the group's most common one "agree"; when most
// hosts agree, an artifact present on few hosts is rare. Rarity raises the severity of a finding
// about the same artifact one level; alone it is a low finding of its own (the host is then
// "suspicious"). A group needs MIN_GROUP hosts to judge.

export type StackKind = 'cron' | 'unit' | 'service' | 'listen' | 'key' | 'uid0' | 'sudoers';

export interface StackEntry {
  kind: StackKind;
  /** what is compared across hosts */
  key: string;
  /** what a human reads */
  text: string;
  path?: string;
  lineNumber?: number;
}

/** One host's comparable artifacts (small: kept in memory for the whole sweep). */
export interface FleetSignature {
  entries: StackEntry[];
}

export const MIN_GROUP = 3;
/** at most this share of a group's hosts may hold an artifact for it to be rare */
const RARE_SHARE = 0.25;
/** share of the group that must hold the most common set: to raise another finding, and to stand alone */
const AGREE_RAISE = 2 / 3;
const AGREE_ALONE = 0.75;
/** kinds that stand alone as a finding (a listening binary only raises another finding: services listen) */
const ALONE: ReadonlySet<StackKind> = new Set(['cron', 'unit', 'service', 'key', 'uid0', 'sudoers']);

const VENDOR = /^\/(usr\/)?lib\/systemd\//;

export function fleetSignature(f: HostFacts): FleetSignature {
  const entries: StackEntry[] = [];
  for (const c of f.cron)
    for (const { lineNumber, line } of commandLines(c)) entries.push({ kind: 'cron', key: `${c.path}\0${line.trim()}`, text: `${c.path}: ${line.trim()}`, path: c.path, lineNumber });
  for (const u of f.units) {
    if (!VENDOR.test(u.path) || u.enabled) entries.push({ kind: 'unit', key: `${u.path}\0${u.execStart.join('\n')}`, text: `${u.path} ${u.execStart.join('; ')}`.trim(), path: u.path });
    if (u.enabled) entries.push({ kind: 'service', key: u.name, text: `enabled ${u.name}`, path: u.path });
  }
  const exe = new Map(f.processes.map((p) => [p.pid, p.exe]));
  for (const s of f.sockets.filter((x) => x.state === 'LISTEN' && x.pid !== null)) {
    const e = exe.get(s.pid!) ?? s.process;
    entries.push({ kind: 'listen', key: `${e}\0${s.localPort}`, text: `${e} listens on ${s.localPort}`, path: e });
  }
  for (const k of f.authorizedKeys) for (const key of k.keys) entries.push({ kind: 'key', key: key.fingerprint || key.raw, text: `${k.path}: ${key.type} ${key.fingerprint} ${key.comment}`.trim(), path: k.path, lineNumber: key.line });
  for (const a of f.accounts.filter((x) => x.uid === 0)) entries.push({ kind: 'uid0', key: a.name, text: `uid 0 account ${a.name}` });
  for (const s of f.sudoers) for (const { lineNumber, line } of commandLines(s)) if (!/^\s*(Defaults|@include|#include)/.test(line)) entries.push({ kind: 'sudoers', key: line.trim().replace(/\s+/g, ' '), text: `${s.path}: ${line.trim()}`, path: s.path, lineNumber });
  // one entry per kind and key
  const seen = new Set<string>();
  return { entries: entries.filter((e) => !seen.has(`${e.kind}\0${e.key}`) && seen.add(`${e.kind}\0${e.key}`)) };
}

/**
 * The same signature with every entry shared with other hosts' equal entries (`seen` holds
 * them for the whole fleet): hosts of one build hold mostly the same entries, so a fleet's
 * signatures cost about one pointer per entry per host instead of a copy of its strings.
 */
export function internSignature(sig: FleetSignature, seen: Map<string, StackEntry>): FleetSignature {
  return {
    entries: sig.entries.map((e) => {
      const id = `${e.kind}\0${e.key}\0${e.text}\0${e.path ?? ''}\0${e.lineNumber ?? ''}`;
      const hit = seen.get(id);
      if (hit) return hit;
      seen.set(id, e);
      return e;
    }),
  };
}

export interface StackHost {
  host: string;
  groups: readonly string[];
  signature: FleetSignature;
  findings: Finding[];
}

export interface Rarity {
  group: string;
  entry: StackEntry;
  /** hosts of the group that hold it, and the group's size */
  holders: number;
  size: number;
  /** the group agrees strongly enough for rarity to stand as a finding of its own */
  alone: boolean;
}

/** The groups a host is compared within: its own groups; Ansible's "all"/"ungrouped" only when it has no other (a flat inventory). */
export function judgedGroups(groups: readonly string[]): string[] {
  const own = groups.filter((g) => g !== 'all' && g !== 'ungrouped');
  return own.length ? own : [...groups];
}

/** Per group and kind: the artifacts that are rare where most hosts agree. Pure. */
export function rareArtifacts(hosts: Array<Pick<StackHost, 'host' | 'groups' | 'signature'>>): Map<string, Rarity[]> {
  const out = new Map<string, Rarity[]>();
  const groups = new Map<string, typeof hosts>();
  for (const h of hosts) for (const g of judgedGroups(h.groups)) (groups.get(g) ?? groups.set(g, []).get(g)!).push(h);
  for (const [group, members] of groups) {
    if (members.length < MIN_GROUP) continue;
    const kinds = new Set(members.flatMap((m) => m.signature.entries.map((e) => e.kind)));
    for (const kind of kinds) {
      const sets = members.map((m) => m.signature.entries.filter((e) => e.kind === kind));
      const setKey = (es: StackEntry[]) => es.map((e) => e.key).sort().join('\u0001');
      const count = new Map<string, number>();
      for (const s of sets) count.set(setKey(s), (count.get(setKey(s)) ?? 0) + 1);
      const [modal, agree] = [...count.entries()].sort((a, b) => b[1] - a[1])[0]!;
      if (agree < AGREE_RAISE * members.length || agree < 2) continue;
      const alone = ALONE.has(kind) && agree >= AGREE_ALONE * members.length;
      const common = new Set(modal.split('\u0001'));
      const holders = new Map<string, number>();
      for (const s of sets) for (const e of s) holders.set(e.key, (holders.get(e.key) ?? 0) + 1);
      const limit = Math.max(1, Math.floor(members.length * RARE_SHARE));
      members.forEach((m, i) => {
        for (const e of sets[i]!) {
          if (common.has(e.key) || holders.get(e.key)! > limit) continue;
          (out.get(m.host) ?? out.set(m.host, []).get(m.host)!).push({ group, entry: e, holders: holders.get(e.key)!, size: members.length, alone });
        }
      });
    }
  }
  return out;
}

const RAISE: Record<Severity, Severity> = { info: 'low', low: 'medium', medium: 'high', high: 'critical', critical: 'critical' };

/** Does the finding talk about this artifact? */
function about(f: Finding, e: StackEntry): boolean {
  return f.artifacts.some((a) => {
    switch (e.kind) {
      case 'cron':
      case 'sudoers':
        return 'path' in a && a.path === e.path && 'lineNumber' in a && a.lineNumber === e.lineNumber;
      case 'key':
        return a.type === 'authorized-key' && (a.fingerprint === e.key || (a.path === e.path && a.lineNumber === e.lineNumber));
      case 'unit':
      case 'service':
        return a.type === 'unit' && a.path === e.path;
      case 'listen':
        return a.type === 'process' && a.exe === e.path;
      case 'uid0':
        return a.type === 'account' && a.name === e.key;
    }
    return false;
  });
}

/** Stacking over the fleet: the hosts whose findings changed, with their new findings. Pure. */
export function stackFleet(hosts: StackHost[]): Map<string, Finding[]> {
  const rare = rareArtifacts(hosts);
  const out = new Map<string, Finding[]>();
  for (const h of hosts) {
    const rs = rare.get(h.host);
    if (!rs?.length) continue;
    const findings = h.findings.map((f) => ({ ...f }));
    const done = new Set<string>();
    for (const r of rs) {
      const k = `${r.entry.kind}\0${r.entry.key}`;
      if (done.has(k)) continue;
      done.add(k);
      const note = `rare in group ${r.group}: on ${r.holders} of ${r.size} hosts, where most hosts agree`;
      const hits = findings.filter((f) => about(f, r.entry));
      for (const f of hits) {
        if (f.reasons?.includes('rare-in-group')) continue;
        f.severity = RAISE[f.severity];
        f.reasons = [...(f.reasons ?? []), 'rare-in-group'];
        f.evidence = [...f.evidence, { kind: 'config', text: note }];
      }
      if (hits.length || !r.alone) continue;
      findings.push({
        rule: 'fleet.rare-in-group',
        severity: 'low',
        title: `Rare in group ${r.group} (${r.holders} of ${r.size} hosts): ${r.entry.kind} ${r.entry.text}`,
        host: h.host,
        evidence: [{ kind: 'config', text: `${r.entry.text}\n${note}`, ...(r.entry.path ? { path: r.entry.path } : {}), ...(r.entry.lineNumber ? { lineNumber: r.entry.lineNumber } : {}) }],
        iocs: [],
        artifacts: [],
        reasons: ['rare-in-group'],
        remedy: `Compare with the other hosts of ${r.group}: find out who added it and why.`,
      });
    }
    out.set(h.host, findings);
  }
  return out;
}
