import type { Finding } from '../findings/types.js';
import { incompleteNote } from '../run/incomplete.js';
import type { HostRun, RunRecord, TaskRecord } from '../run/types.js';
import { entryPoints } from './entry-points.js';
import { hardeningArea, hardeningRows, recommendations } from './hardening.js';
import { findingStatus, hostOutcome } from '../findings/outcome.js';
import { attackFor } from '../catalogue/attack.js';
import { OPEN_STATES, SEVERITY_ORDER, affectedCount, compareHosts, maxSeverity } from './host-state.js';
import { EvidenceTable } from './evidence-table.js';
import { scrubDeep } from './scrub.js';
import { headline, whatRemains, whatWasDone } from './summary.js';
import { isoFromSeconds, msFromIso } from './time.js';
import { buildTimeline, earliestEvidence, firstEvidence } from './timeline.js';
import {
  HOST_STATES,
  REPORT_SCHEMA,
  type GroupCount,
  type HostState,
  type HostSection,
  type ReportAction,
  type FindingStatus,
  type ReportFinding,
  type ReportIoc,
  type ReportModel,
  type TaskTally,
} from './types.js';

// RunRecord → ReportModel, pure. Everything the HTML and report.json show is decided here;
// secrets are scrubbed first (scrub.ts), whatever upstream did.

export interface ModelOptions {
  /** the time written as generatedAt (default: the run's finishedAt, so output is reproducible) */
  now?: Date;
  /** exact secret values to mask wherever they appear */
  secrets?: readonly string[];
}

const STDERR_LINES = 6;
const DIFF_CHARS = 4000;

function reportFinding(f: Finding, evidenceIds: string[], status: FindingStatus = 'open'): ReportFinding {
  return {
    rule: f.rule,
    severity: f.severity,
    title: f.title,
    ...(f.family ? { family: f.family } : {}),
    evidenceIds,
    remedy: f.remedy,
    status,
    ...(attackFor(f.rule).length ? { attack: attackFor(f.rule) } : {}),
    ...(f.pivot ? { pivot: { type: f.pivot.ioc.type, value: f.pivot.ioc.value, seenOn: f.pivot.seenOn, ...((f.pivot.seenOnCount ?? 0) > f.pivot.seenOn.length ? { more: f.pivot.seenOnCount! - f.pivot.seenOn.length } : {}) } } : {}),
  };
}

function reportAction(t: TaskRecord, command: string): ReportAction {
  return {
    play: t.play,
    task: t.task,
    module: t.module,
    status: t.status,
    ...(t.message ? { message: t.message } : {}),
    startedAt: t.startedAt,
    hardening: hardeningArea(t, command),
    steps: t.steps.map((s) => ({
      description: s.description,
      status: s.status,
      ...(s.exitCode !== undefined ? { exitCode: s.exitCode } : {}),
      ...(s.status === 'failed' && s.stderr ? { error: s.stderr.split('\n').slice(0, STDERR_LINES).join('\n').slice(0, 800) } : {}),
      ...(s.diff ? { diff: s.diff.length > DIFF_CHARS ? s.diff.slice(0, DIFF_CHARS) + '\n… (cut; the full diff is in run.json)' : s.diff } : {}),
    })),
  };
}

/** Worst first; stable, so the rules' order stays within a severity. */
const sortBySeverity = (fs: Finding[]) => [...fs].sort((a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity));

function outcomeOf(h: HostRun): Pick<HostSection, 'state' | 'before' | 'why'> {
  const o = hostOutcome(h);
  return { state: o.verdict, before: o.before, why: o.why };
}

function hostSection(h: HostRun, command: string): HostSection {
  const all = [...h.findings, ...(h.verification?.findings ?? [])];
  const first = earliestEvidence(h);
  const sorted = sortBySeverity(h.findings).map((f) => ({ f, status: findingStatus(f, h) }));
  // ids in the order report.html first shows the evidence: open findings, done ones, the verification's, the recheck's
  const table = new EvidenceTable();
  const ids = new Map([...sorted.filter((x) => x.status === 'open'), ...sorted.filter((x) => x.status !== 'open')].map(({ f }) => [f, table.idsOf(f.evidence)]));
  const findings = sorted.map(({ f, status }) => reportFinding(f, ids.get(f)!, status));
  const verification = h.verification?.findings.map((f) => reportFinding(f, table.idsOf(f.evidence))) ?? [];
  const recheck = h.recheck?.findings.map((f) => reportFinding(f, table.idsOf(f.evidence))) ?? [];
  return {
    name: h.name,
    address: h.address,
    // every inventory host is in Ansible's `all`: it says nothing
    groups: h.groups.filter((g) => g !== 'all'),
    ...outcomeOf(h),
    status: h.status,
    ...(h.reason || h.incomplete?.length ? { reason: [h.reason, incompleteNote(h)].filter(Boolean).join('; ') } : {}),
    ...(h.connectRetries ? { connectRetries: h.connectRetries } : {}),
    families: [...new Set(all.map((f) => f.family).filter((x): x is string => !!x))].sort(),
    severity: maxSeverity(all.map((f) => f.severity)),
    evidence: table.rows,
    findings,
    actions: h.tasks.map((t) => reportAction(t, command)),
    quarantine: h.quarantine.map((q) => ({ originalPath: q.originalPath, quarantinePath: q.quarantinePath, sha256: q.sha256, size: q.size, movedAt: q.movedAt })),
    verification: h.verification
      ? { state: h.verification.state, at: h.verification.at, ...(h.verification.note ? { note: h.verification.note } : {}), findings: verification }
      : null,
    recheck: h.recheck ? { state: h.recheck.state, at: h.recheck.at, ...(h.recheck.note ? { note: h.recheck.note } : {}), findings: recheck } : null,
    earliestEvidence: first ? { time: first.time, iso: isoFromSeconds(first.time) } : null,
  };
}

function iocTable(run: RunRecord): ReportIoc[] {
  const byKey = new Map<string, ReportIoc>();
  const add = (i: { type: ReportIoc['type']; value: string; family?: string; source?: string }, host?: string, times: number[] = []) => {
    const key = `${i.type}\0${i.value}`;
    let row = byKey.get(key);
    if (!row) byKey.set(key, (row = { type: i.type, value: i.value, ...(i.family ? { family: i.family } : {}), ...(i.source ? { source: i.source } : {}), hosts: [] }));
    if (!row.family && i.family) row.family = i.family;
    if (!row.source && i.source) row.source = i.source;
    if (host && !row.hosts.includes(host)) row.hosts.push(host);
    for (const t of times) {
      const iso = isoFromSeconds(t);
      if (!row.firstSeen || iso < row.firstSeen) row.firstSeen = iso;
      if (!row.lastSeen || iso > row.lastSeen) row.lastSeen = iso;
    }
  };
  for (const h of run.hosts)
    for (const f of [...h.findings, ...(h.verification?.findings ?? [])]) {
      const times = f.evidence.map((e) => e.time).filter((t): t is number => typeof t === 'number' && t > 0);
      for (const i of f.iocs) add(i, h.name, times);
    }
  for (const i of run.iocs) add(i);
  const TYPE_ORDER = ['ip', 'domain', 'url', 'port', 'sha256', 'path', 'process-name', 'key-fingerprint', 'user', 'wallet'];
  return [...byKey.values()].sort((a, b) => TYPE_ORDER.indexOf(a.type) - TYPE_ORDER.indexOf(b.type) || b.hosts.length - a.hosts.length || a.value.localeCompare(b.value));
}

function taskTallies(hosts: HostSection[]): TaskTally[] {
  const by = new Map<string, TaskTally>();
  for (const h of hosts)
    for (const a of h.actions) {
      const key = `${a.play}\0${a.task}`;
      const t = by.get(key) ?? by.set(key, { play: a.play, task: a.task, hardening: a.hardening, changed: 0, ok: 0, failed: 0, skipped: 0, unreachable: 0 }).get(key)!;
      t[a.status]++;
    }
  return [...by.values()];
}

/** Every state at zero, then the hosts counted in. */
export function stateCounts(hosts: ReadonlyArray<{ state: HostState }>): Record<HostState, number> {
  const c = Object.fromEntries(HOST_STATES.map((s) => [s, 0])) as Record<HostState, number>;
  for (const h of hosts) c[h.state]++;
  return c;
}

function groupCounts(hosts: HostSection[]): GroupCount[] {
  const by = new Map<string, HostSection[]>();
  for (const h of hosts) for (const g of h.groups.length ? h.groups : ['(no group)']) (by.get(g) ?? by.set(g, []).get(g)!).push(h);
  const rows = [...by].map(([group, hs]) => ({ group, counts: stateCounts(hs), total: hs.length }));
  return rows.sort((a, b) => affectedCount(b.counts) - affectedCount(a.counts) || b.total - a.total || a.group.localeCompare(b.group));
}

/** The report of a run. Pure: same record and options, same model. */
export function buildReportModel(record: RunRecord, opts: ModelOptions = {}): ReportModel {
  const run = scrubDeep(record, opts.secrets ?? []);
  const hosts = run.hosts.map((h) => hostSection(h, run.command)).sort(compareHosts);
  const byState = stateCounts(hosts);
  const counts = {
    hostsSwept: hosts.length,
    verdicts: byState,
    infected: byState.infected + byState.reinfected + hosts.filter((h) => h.state === 'cleaned' && h.before === 'infected').length,
    cleaned: byState.cleaned,
    stillInfected: byState.infected + byState.reinfected,
    open: hosts.filter((h) => OPEN_STATES.has(h.state)).length,
    unreachable: byState.unreachable,
    notChecked: byState.incomplete,
  };
  const verdictCounts = { infected: counts.stillInfected, suspicious: byState.suspicious, exposed: byState.exposed };
  const families = new Map<string, { hosts: Set<string>; findings: number }>();
  for (const h of run.hosts)
    for (const f of [...h.findings, ...(h.verification?.findings ?? [])])
      if (f.family) {
        const e = families.get(f.family) ?? families.set(f.family, { hosts: new Set(), findings: 0 }).get(f.family)!;
        e.hosts.add(h.name);
        e.findings++;
      }
  const entries = entryPoints(run.hosts.map((h) => ({ host: h.name, findings: h.findings })));
  const applied = hardeningRows(run.hosts, run.command);
  const recommended = recommendations(entries, applied, { infected: counts.infected, unreachable: hosts.filter((h) => h.state === 'unreachable').map((h) => h.name) });
  const started = msFromIso(run.startedAt);
  const finished = msFromIso(run.finishedAt);
  return {
    schema: REPORT_SCHEMA,
    generatedAt: (opts.now ?? new Date(Number.isFinite(finished) ? finished : Date.now())).toISOString(),
    run: {
      id: run.id,
      command: run.command,
      argv: run.argv,
      apply: run.apply,
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      durationMs: Number.isFinite(finished - started) ? finished - started : 0,
      inventory: run.inventory,
      controller: run.controller,
    },
    summary: {
      ...counts,
      clean: byState.clean,
      families: [...families].map(([id, e]) => ({ id, hosts: e.hosts.size, findings: e.findings })).sort((a, b) => b.hosts - a.hosts || a.id.localeCompare(b.id)),
      firstEvidence: firstEvidence(run.hosts),
      entryPoints: entries,
      done: whatWasDone({ command: run.command, apply: run.apply, hosts }),
      remains: whatRemains(counts, hosts, recommended, run.command),
      headline: headline(counts, run.command, verdictCounts),
    },
    byGroup: groupCounts(hosts),
    timeline: buildTimeline(run),
    hosts,
    iocs: iocTable(run),
    changes: taskTallies(hosts),
    hardening: { applied, recommended },
  };
}
