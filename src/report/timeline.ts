import type { Evidence, Finding } from '../findings/types.js';
import type { HostRun, RunRecord } from '../run/types.js';
import type { FirstEvidence, TimelineEvent } from './types.js';
import { intrusionTime } from '../findings/evidence-time.js';
import { humanDuration, isoFromMs, isoFromSeconds, msFromIso } from './time.js';

// When it started and what happened since: the earliest evidence per host (process start,
// file and cron times; not shared files such as /etc/passwd), then this run's actions, quarantines and verifications.

const clip = (s: string, n = 120) => (s.length > n ? s.slice(0, n - 1) + '…' : s);

/** What a piece of evidence with a time says happened, in words. */
export function describeEvidenceTime(e: Evidence): string {
  if (e.kind === 'process') return `process started: ${clip(e.text)}${e.pid !== undefined ? ` (pid ${e.pid})` : ''}`;
  if (e.path) return `${e.kind === 'unit' ? 'service file' : e.kind === 'key' ? 'SSH key file' : 'file'} last changed: ${clip(e.path)}`;
  return `${e.kind}: ${clip(e.text)}`;
}

/** The earliest timed evidence of a host, or its recorded earliestEvidence. */
export function earliestEvidence(h: Pick<HostRun, 'findings' | 'earliestEvidence'>): { time: number; what: string; family?: string } | null {
  let best: { time: number; what: string; family?: string } | null = null;
  const consider = (f: Finding, e: Evidence) => {
    const t = intrusionTime(e);
    if (t !== undefined && (!best || t < best.time)) best = { time: t, what: describeEvidenceTime(e), ...(f.family ? { family: f.family } : {}) };
  };
  for (const f of h.findings) for (const e of f.evidence) consider(f, e);
  // the recorded time only stands in when no evidence carries one (records before evidence kept times)
  const timed = h.findings.some((f) => f.evidence.some((e) => e.time));
  const recorded = h.earliestEvidence;
  if (!timed && h.findings.length && recorded !== undefined && Number.isFinite(recorded) && recorded > 0 && !best) {
    const family = h.findings.find((f) => f.family)?.family;
    best = { time: recorded, what: 'earliest trace found on the host', ...(family ? { family } : {}) };
  }
  return best;
}

/** The fleet's earliest evidence: when it started, where, what. */
export function firstEvidence(hosts: HostRun[]): FirstEvidence | null {
  let out: FirstEvidence | null = null;
  for (const h of hosts) {
    const e = earliestEvidence(h);
    if (e && (!out || e.time < out.time)) out = { time: e.time, iso: isoFromSeconds(e.time), host: h.name, what: e.what };
  }
  return out;
}

const COMMAND_WORD: Record<string, string> = { sweep: 'Sweep', remediate: 'Remediation', harden: 'Hardening', run: 'Playbook run' };

/** Every event, oldest first. */
export function buildTimeline(run: RunRecord): TimelineEvent[] {
  const events: TimelineEvent[] = [];
  const push = (at: number, e: Omit<TimelineEvent, 'at' | 'iso'>) => {
    if (Number.isFinite(at)) events.push({ at, iso: isoFromMs(at), ...e });
  };
  const word = COMMAND_WORD[run.command] ?? `minesweep ${run.command}`;
  const started = msFromIso(run.startedAt);
  const finished = msFromIso(run.finishedAt);
  push(started, { kind: 'run', text: `${word} started on ${run.hosts.length} host${run.hosts.length === 1 ? '' : 's'}${run.apply ? '' : ' (plan only, nothing changed)'}` });
  push(finished, { kind: 'run', text: `${word} finished after ${humanDuration(finished - started)}` });
  for (const h of run.hosts) {
    const first = earliestEvidence(h);
    if (first) push(first.time * 1000, { kind: 'first-evidence', host: h.name, ...(first.family ? { family: first.family } : {}), text: `first trace: ${first.what}` });
    const acted = h.tasks.filter((t) => t.status === 'changed' || t.status === 'failed');
    if (acted.length) {
      const failed = acted.filter((t) => t.status === 'failed').length;
      const at = Math.min(...acted.map((t) => msFromIso(t.startedAt)).filter(Number.isFinite));
      push(at, {
        kind: 'action',
        host: h.name,
        text: `${acted.length - failed} change${acted.length - failed === 1 ? '' : 's'} made${failed ? `, ${failed} failed` : ''}`,
      });
    }
    if (h.quarantine.length) {
      const at = Math.min(...h.quarantine.map((q) => msFromIso(q.movedAt)).filter(Number.isFinite));
      push(at, { kind: 'quarantine', host: h.name, text: `${h.quarantine.length} file${h.quarantine.length === 1 ? '' : 's'} moved to quarantine` });
    }
    const v = h.verification;
    if (v && (h.findings.length || v.state !== 'clean')) {
      const text = v.state === 'clean' ? 'checked again: clean' : v.state === 'reinfected' ? `checked again: infection came back (${v.findings.length} finding${v.findings.length === 1 ? '' : 's'})` : 'could not be checked again (unreachable)';
      push(msFromIso(v.at), { kind: 'verification', host: h.name, text });
    }
  }
  const rank: Record<TimelineEvent['kind'], number> = { 'first-evidence': 0, evidence: 1, run: 2, action: 3, quarantine: 4, verification: 5 };
  return events.sort((a, b) => a.at - b.at || rank[a.kind] - rank[b.kind] || (a.host ?? '').localeCompare(b.host ?? ''));
}
