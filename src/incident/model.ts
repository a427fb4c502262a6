import { findingIdentity } from '../evidence/finding-identity.js';
import { attackFor } from '../catalogue/attack.js';
import { hostOutcome } from '../findings/outcome.js';
import type { Finding, Ioc } from '../findings/types.js';
import { hostVerdict, isExposure } from '../findings/verdict.js';
import type { HostRun, RunRecord } from '../run/types.js';
import { entryPoints } from '../report/entry-points.js';
import { maxSeverity, SEVERITY_ORDER } from '../report/host-state.js';
import { stateCounts } from '../report/model.js';
import { scrubDeep } from '../report/scrub.js';
import { isoFromMs, isoFromSeconds, msFromIso } from '../report/time.js';
import { earliestEvidence } from '../report/timeline.js';
import type { FirstEvidence, HostState } from '../report/types.js';
import { incidentSentences } from './sentences.js';
import { INCIDENT_SCHEMA, type IncidentEvent, type IncidentFinding, type IncidentHost, type IncidentModel, type IncidentRun } from './types.js';

// Every run of an incident, oldest first → one model. Pure. A finding (host, rule, what it
// is about: findings/finding-key.ts) is open from the run that first saw it until a run
// shows it gone: remediate's check after the respawn window (not an open door), harden's
// recheck (an open door), or a complete sweep of the host that no longer finds it. Seen
// again after that, it came back. A host the last run that tried could not reach (at the
// start, mid-run, or for the check after) says so until a later run reaches it; while it is
// affected, the incident is not over.

interface Track {
  f: Finding;
  row: IncidentFinding;
}

/** Commands whose host findings come from a fresh probe of the host (remediate's are its --from run's). */
const FRESH = new Set(['sweep', 'harden', 'merge']);

const plural = (n: number, one: string, many = one + 's') => `${n} ${n === 1 ? one : many}`;

function runText(r: RunRecord): string {
  // remediate and harden record a host they lost with its verdict before (infected, exposed): counted as unreachable here
  const acts = r.command === 'remediate' || r.command === 'harden';
  const states = stateCounts(r.hosts.map((h) => ({ state: acts && h.status === 'unreachable' ? 'unreachable' : hostOutcome(h).verdict })));
  const parts = (list: Array<[HostState, string]>) => list.filter(([s]) => states[s]).map(([s, w]) => `${states[s]} ${w}`).join(', ');
  const n = plural(r.hosts.length, 'server');
  if (r.command === 'remediate') return `Remediation${r.apply ? '' : ' (plan only)'} on ${n}: ${parts([['cleaned', 'cleaned and verified'], ['reinfected', 'reinfected'], ['infected', 'still infected'], ['exposed', 'still exposed'], ['unreachable', 'unreachable (not cleaned)']]) || 'nothing to clean'}`;
  if (r.command === 'harden') return `Hardening${r.apply ? '' : ' (plan only)'} on ${n}: ${parts([['closed', 'closed and checked again'], ['exposed', 'still exposed'], ['infected', 'infected'], ['unreachable', 'unreachable (not hardened)']]) || 'no open door found'}`;
  const found = parts([['infected', 'infected'], ['suspicious', 'suspicious'], ['exposed', 'exposed'], ['unreachable', 'unreachable'], ['incomplete', 'incomplete']]);
  return `${r.command === 'merge' ? 'Merged sweep' : r.command === 'sweep' ? 'Sweep' : `minesweep ${r.command}`} of ${n}: ${found || 'all clean'}`;
}

/** Whether the host was probed in this run to the end (its absence of a finding means something). */
const probedFully = (h: HostRun) => h.status !== 'unreachable' && h.status !== 'skipped' && !(h.status === 'failed' && h.tasks.length === 0) && !h.incomplete?.length;

/** Whether this run reached the host: probed it (a fresh command), or acted on or checked it again (remediate copies the rest from its --from run). */
const reached = (r: RunRecord, h: HostRun) =>
  h.status !== 'unreachable' && (FRESH.has(r.command) || h.tasks.length > 0 || (!!h.verification && h.verification.state !== 'unreachable') || (!!h.recheck && h.recheck.state !== 'unreachable'));

/** Why this run could not reach the host, when it tried and could not (at the start, mid-run, or for the check after). */
const lostWhy = (h: HostRun): string | null =>
  h.status === 'unreachable' ? (h.reason ?? 'unreachable') : h.verification?.state === 'unreachable' ? (h.verification.note ?? 'unreachable') : h.recheck?.state === 'unreachable' ? (h.recheck.note ?? 'unreachable') : null;

export interface IncidentOptions {
  now?: Date;
  secrets?: readonly string[];
}

export function buildIncidentModel(name: string, records: readonly RunRecord[], opts: IncidentOptions = {}): IncidentModel {
  const runs = records.map((r) => scrubDeep(r, opts.secrets ?? [])).sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.id.localeCompare(b.id));
  const tracks = new Map<string, Track>();
  const byHost = new Map<string, Set<string>>();
  const hostInfo = new Map<string, { address: string; groups: string[]; lastChecked: string | null; incomplete: boolean; lost?: { run: string; reason: string } }>();
  const events: IncidentEvent[] = [];
  const event = (ms: number, e: Omit<IncidentEvent, 'at' | 'iso'>) => {
    if (Number.isFinite(ms)) events.push({ at: ms, iso: isoFromMs(ms), ...e });
  };
  const iocs = new Map<string, { ioc: Ioc; hosts: Set<string>; firstRun: string; lastRun: string }>();

  for (const r of runs) {
    const tally = { new: new Set<string>(), done: new Set<string>(), back: new Set<string>() };
    const hostsOf = { new: new Set<string>(), done: new Set<string>(), back: new Set<string>() };
    const at = msFromIso(r.finishedAt);
    const see = (host: string, f: Finding) => {
      const key = findingIdentity(f, host);
      const t = tracks.get(key);
      if (!t) {
        const ev = f.evidence[0];
        tracks.set(key, { f, row: { host, rule: f.rule, severity: f.severity, title: f.title, ...(f.family ? { family: f.family } : {}), remedy: f.remedy, status: 'open', firstSeen: r.id, lastSeen: r.id, ...(ev ? { evidence: ev.text.slice(0, 300) } : {}), ...(attackFor(f.rule).length ? { attack: attackFor(f.rule).map((t) => t.id) } : {}) } });
        (byHost.get(host) ?? byHost.set(host, new Set()).get(host)!).add(key);
        tally.new.add(key);
        hostsOf.new.add(host);
      } else {
        t.f = f;
        t.row.lastSeen = r.id;
        if (t.row.status === 'done') {
          t.row.status = 'came-back';
          t.row.cameBackIn = r.id;
          tally.back.add(key);
          hostsOf.back.add(host);
        }
      }
      for (const i of f.iocs) {
        const k = `${i.type}\0${i.value}`;
        const e = iocs.get(k) ?? iocs.set(k, { ioc: i, hosts: new Set(), firstRun: r.id, lastRun: r.id }).get(k)!;
        e.hosts.add(host);
        e.lastRun = r.id;
      }
      return key;
    };
    const finish = (host: string, keys: Iterable<string>) => {
      for (const key of keys) {
        const t = tracks.get(key)!;
        if (t.row.status === 'done') continue;
        t.row.status = 'done';
        t.row.doneBy = r.id;
        delete t.row.cameBackIn;
        tally.done.add(key);
        hostsOf.done.add(host);
      }
    };
    const openOf = (host: string, pick: (f: Finding) => boolean) => [...(byHost.get(host) ?? [])].filter((k) => tracks.get(k)!.row.status !== 'done' && pick(tracks.get(k)!.f));

    for (const h of r.hosts) {
      const info = hostInfo.get(h.name) ?? hostInfo.set(h.name, { address: h.address, groups: h.groups.filter((g) => g !== 'all'), lastChecked: null, incomplete: false }).get(h.name)!;
      if (reached(r, h)) {
        info.lastChecked = r.id;
        info.incomplete = !!h.incomplete?.length;
        delete info.lost;
      }
      const why = lostWhy(h);
      if (why) info.lost = { run: r.id, reason: why.split('\n')[0]!.slice(0, 300) };
      if (h.findings.length) {
        const first = earliestEvidence(h);
        if (first && !tracks.has(findingIdentity(h.findings[0]!, h.name))) event(first.time * 1000, { host: h.name, text: `first trace on ${h.name}: ${first.what}` });
      }
      const seen = new Set(h.findings.map((f) => see(h.name, f)));
      if (FRESH.has(r.command) && probedFully(h)) finish(h.name, openOf(h.name, () => true).filter((k) => !seen.has(k)));
      const v = h.verification;
      if (v && v.state !== 'unreachable') {
        const again = new Set(v.findings.map((f) => see(h.name, f)));
        finish(h.name, openOf(h.name, (f) => !isExposure(f)).filter((k) => !again.has(k)));
      }
      const re = h.recheck;
      if (re && re.state !== 'unreachable') {
        const still = new Set(re.findings.map((f) => see(h.name, f)));
        finish(h.name, openOf(h.name, isExposure).filter((k) => !still.has(k)));
      }
    }
    event(msFromIso(r.startedAt), { run: r.id, text: runText(r) });
    if (tally.new.size) event(at, { run: r.id, text: `${plural(tally.new.size, 'new finding')} on ${plural(hostsOf.new.size, 'server')}` });
    if (tally.done.size) event(at, { run: r.id, text: `${plural(tally.done.size, 'finding')} done on ${plural(hostsOf.done.size, 'server')} (removed or closed, and checked again)` });
    if (tally.back.size) event(at, { run: r.id, text: `${plural(tally.back.size, 'finding')} came back on ${plural(hostsOf.back.size, 'server')}` });
  }

  const all = [...tracks.values()];
  const hosts: IncidentHost[] = [...hostInfo].map(([name, info]) => {
    const mine = [...(byHost.get(name) ?? [])].map((k) => tracks.get(k)!);
    const open = mine.filter((t) => t.row.status !== 'done');
    let state: HostState;
    if (open.some((t) => t.row.status === 'came-back' && !isExposure(t.f))) state = 'reinfected';
    else if (open.length) state = hostVerdict({ status: 'ok', findings: open.map((t) => t.f) }).verdict;
    else if (mine.length) state = mine.some((t) => !isExposure(t.f)) ? 'cleaned' : 'closed';
    else state = info.lastChecked === null ? 'unreachable' : info.incomplete ? 'incomplete' : 'clean';
    return {
      name,
      address: info.address,
      groups: info.groups,
      state,
      families: [...new Set(mine.map((t) => t.f.family).filter((x): x is string => !!x))].sort(),
      severity: maxSeverity(mine.map((t) => t.f.severity)),
      findings: { total: mine.length, open: open.length, done: mine.length - open.length, cameBack: mine.filter((t) => t.row.status === 'came-back').length },
      lastChecked: info.lastChecked,
      ...(info.lost ? { unreachable: info.lost } : {}),
    };
  });
  const RANK: HostState[] = ['reinfected', 'infected', 'suspicious', 'exposed', 'unreachable', 'incomplete', 'cleaned', 'closed', 'clean'];
  hosts.sort((a, b) => RANK.indexOf(a.state) - RANK.indexOf(b.state) || a.name.localeCompare(b.name, 'en', { numeric: true }));

  const STATUS_RANK = { 'came-back': 0, open: 1, done: 2 } as const;
  const findings = all
    .map((t) => t.row)
    .sort((a, b) => STATUS_RANK[a.status] - STATUS_RANK[b.status] || SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) || a.host.localeCompare(b.host, 'en', { numeric: true }));
  const count = { total: findings.length, open: findings.filter((f) => f.status === 'open').length, done: findings.filter((f) => f.status === 'done').length, cameBack: findings.filter((f) => f.status === 'came-back').length };

  let since: FirstEvidence | null = null;
  for (const [host, keys] of byHost) {
    const e = earliestEvidence({ findings: [...keys].map((k) => tracks.get(k)!.f) });
    if (e && (!since || e.time < since.time)) since = { time: e.time, iso: isoFromSeconds(e.time), host, what: e.what };
  }
  const families = new Map<string, Set<string>>();
  for (const t of all) if (t.f.family) (families.get(t.f.family) ?? families.set(t.f.family, new Set()).get(t.f.family)!).add(t.row.host);
  const entries = entryPoints([...byHost].map(([host, keys]) => ({ host, findings: [...keys].map((k) => tracks.get(k)!.f) })));
  const verdicts = stateCounts(hosts);
  const affected = hosts.filter((h) => h.findings.total > 0).length;
  // an affected host the last run that tried could not reach is not known to be done
  const over = count.open + count.cameBack === 0 && verdicts.unreachable === 0 && verdicts.incomplete === 0 && !hosts.some((h) => h.unreachable && h.findings.total > 0);
  const last = runs[runs.length - 1];
  const sentences = incidentSentences({ name, runs, hosts, findings, verdicts, affected, over, last });
  events.sort((a, b) => a.at - b.at);
  return {
    schema: INCIDENT_SCHEMA,
    name,
    generatedAt: (opts.now ?? new Date(last ? msFromIso(last.finishedAt) || Date.now() : Date.now())).toISOString(),
    runs: runs.map((r): IncidentRun => ({ id: r.id, command: r.command, apply: r.apply, startedAt: r.startedAt, finishedAt: r.finishedAt, hosts: r.hosts.length, text: runText(r) })),
    summary: {
      hosts: hosts.length,
      affected,
      verdicts,
      findings: count,
      doorsClosed: [...byHost].filter(([, keys]) => {
        const doors = [...keys].map((k) => tracks.get(k)!).filter((t) => isExposure(t.f));
        return doors.length > 0 && doors.every((t) => t.row.status === 'done');
      }).length,
      severity: maxSeverity(all.filter((t) => t.row.status !== 'done').map((t) => t.f.severity)) ?? maxSeverity(all.map((t) => t.f.severity)),
      families: [...families].map(([id, on]) => ({ id, hosts: on.size })).sort((a, b) => b.hosts - a.hosts || a.id.localeCompare(b.id)),
      since,
      entryPoints: entries,
      over,
      ...sentences,
    },
    timeline: events,
    hosts,
    findings,
    iocs: [...iocs.values()].map((e) => ({ type: e.ioc.type, value: e.ioc.value, ...(e.ioc.family ? { family: e.ioc.family } : {}), ...(e.ioc.source ? { source: e.ioc.source } : {}), hosts: [...e.hosts].sort(), firstRun: e.firstRun, lastRun: e.lastRun })),
  };
}
