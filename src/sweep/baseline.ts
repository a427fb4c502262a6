import { detailOf, findingIdentity } from '../evidence/finding-identity.js';
import type { Finding, Severity } from '../findings/types.js';
import { recordedVerdict } from '../findings/verdict.js';
import type { BaselineHostChange, BaselineSummary, HostRun, RunRecord } from '../run/types.js';

// sweep --baseline: this run against an earlier one, per host (pure). A finding is new, gone or
// changed by its identity (evidence/finding-identity.ts: host + rule + the thing it is about,
// never a pid, a CPU % or a line number). Baseline findings on a host not fully seen this time
// (unreachable, failed, incomplete) are unknown, not gone; a host not in the baseline brings
// only new findings; a baseline host not swept now is listed, its findings not counted.

export const BASELINE_SCHEMA = 'minesweep.baseline/1';

/** One finding as the comparison lists it. */
export interface DiffFinding {
  host: string;
  rule: string;
  severity: Severity;
  title: string;
  family?: string;
  /** findings of this run (or of the baseline, for gone/unknown) with the same identity */
  count: number;
}

export interface ChangedFinding extends DiffFinding {
  changes: Array<{ what: string; from: string; to: string }>;
}

export interface BaselineDiff {
  schema: typeof BASELINE_SCHEMA;
  run: string;
  baseline: { run: string; dir: string; command: string; startedAt: string; finishedAt: string };
  new: DiffFinding[];
  gone: DiffFinding[];
  changed: ChangedFinding[];
  /** identities seen in both runs, unchanged */
  unchanged: number;
  unknown: DiffFinding[];
  hosts: BaselineHostChange[];
}

interface Group {
  first: Finding;
  count: number;
}

function groups(h: HostRun): Map<string, Group> {
  const out = new Map<string, Group>();
  for (const f of h.findings) {
    const k = findingIdentity(f, h.name);
    const g = out.get(k);
    if (g) g.count++;
    else out.set(k, { first: f, count: 1 });
  }
  return out;
}

const listed = (host: string, g: Group): DiffFinding => ({ host, rule: g.first.rule, severity: g.first.severity, title: g.first.title, ...(g.first.family ? { family: g.first.family } : {}), count: g.count });

/** Was every probe section of this host read (so a baseline finding absent now is really gone)? */
const fullySeen = (h: HostRun): boolean => h.status === 'ok' && !h.incomplete?.length;
const wasReached = (h: HostRun): boolean => h.status !== 'unreachable' && h.status !== 'failed';

function hostChange(b: HostRun, h: HostRun): BaselineHostChange | null {
  const from = recordedVerdict(b);
  const to = recordedVerdict(h);
  if (h.status === 'unreachable' && b.status !== 'unreachable') return { host: h.name, change: 'unreachable', from };
  if (!wasReached(b) && wasReached(h)) return { host: h.name, change: 'reachable', from: b.status, to };
  if (from !== to) return { host: h.name, change: 'verdict', from, to };
  return null;
}

function changesOf(b: Group, c: Group): ChangedFinding['changes'] {
  const counted = b.count > 1 || c.count > 1;
  const before: Record<string, string> = { ...detailOf(b.first), ...(counted ? { count: String(b.count) } : {}) };
  const after: Record<string, string> = { ...detailOf(c.first), ...(counted ? { count: String(c.count) } : {}) };
  return [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => (before[k] ?? '') !== (after[k] ?? '')).map((what) => ({ what, from: before[what] ?? '', to: after[what] ?? '' }));
}

const order = (x: DiffFinding, y: DiffFinding): number => (x.host < y.host ? -1 : x.host > y.host ? 1 : x.rule < y.rule ? -1 : x.rule > y.rule ? 1 : x.title < y.title ? -1 : x.title > y.title ? 1 : 0);

/** Compare this run with the baseline run (recorded at `baselineDir`). */
export function compareRuns(current: RunRecord, baseline: RunRecord, baselineDir: string): BaselineDiff {
  const diff: BaselineDiff = {
    schema: BASELINE_SCHEMA,
    run: current.id,
    baseline: { run: baseline.id, dir: baselineDir, command: baseline.command, startedAt: baseline.startedAt, finishedAt: baseline.finishedAt },
    new: [],
    gone: [],
    changed: [],
    unchanged: 0,
    unknown: [],
    hosts: [],
  };
  const before = new Map(baseline.hosts.map((h) => [h.name, h]));
  const now = new Set(current.hosts.map((h) => h.name));
  for (const h of current.hosts) {
    const b = before.get(h.name);
    const cur = groups(h);
    if (!b) {
      diff.hosts.push({ host: h.name, change: 'added', to: recordedVerdict(h) });
      for (const g of cur.values()) diff.new.push(listed(h.name, g));
      continue;
    }
    const hc = hostChange(b, h);
    if (hc) diff.hosts.push(hc);
    const old = groups(b);
    for (const [k, g] of cur) {
      const o = old.get(k);
      if (!o) diff.new.push(listed(h.name, g));
      else {
        const changes = changesOf(o, g);
        if (changes.length) diff.changed.push({ ...listed(h.name, g), changes });
        else diff.unchanged++;
      }
    }
    for (const [k, o] of old) if (!cur.has(k)) (fullySeen(h) ? diff.gone : diff.unknown).push(listed(h.name, o));
  }
  for (const b of baseline.hosts) if (!now.has(b.name)) diff.hosts.push({ host: b.name, change: 'not-swept', from: recordedVerdict(b) });
  for (const list of [diff.new, diff.gone, diff.changed, diff.unknown]) list.sort(order);
  diff.hosts.sort((x, y) => (x.host < y.host ? -1 : x.host > y.host ? 1 : 0));
  return diff;
}

/** What run.json keeps of the comparison. */
export function baselineSummary(d: BaselineDiff): BaselineSummary {
  return { run: d.baseline.run, dir: d.baseline.dir, new: d.new.length, gone: d.gone.length, changed: d.changed.length, unknown: d.unknown.length, hosts: d.hosts };
}

/** Hosts that could be reached in the baseline (or were not in it) and cannot now. */
export function becameUnreachable(d: BaselineDiff, current: RunRecord): Array<{ host: string; reason?: string }> {
  const names = new Set(d.hosts.filter((c) => c.change === 'unreachable' || (c.change === 'added' && c.to === 'unreachable')).map((c) => c.host));
  return current.hosts.filter((h) => names.has(h.name)).map((h) => ({ host: h.name, ...(h.reason ? { reason: h.reason } : {}) }));
}
