import type { Artifact, Finding } from '../findings/types.js';
import type { HostRun } from '../run/types.js';

// Verification (step 9, delayed part): after the respawn window the host is probed again.
// A host is clean when no finding with something to remove is left; findings only about
// exposure (world-open Redis, firewall rules) are closed by `harden` and do not count.
// For what came back, say from where: the persistence (cron line, unit, script…) that
// names the respawned process.

const EXPOSURE_ONLY = new Set<Artifact['type']>(['redis', 'firewall-rule', 'immutable']);

/** A connection left closing by a killed process (FIN-WAIT, TIME-WAIT… with no owner), not a live one. */
function onlyDeadConnections(f: Finding): boolean {
  if (!f.artifacts.length || !f.artifacts.every((a) => a.type === 'egress')) return false;
  const sockets = f.evidence.filter((e) => e.kind === 'socket');
  return sockets.length > 0 && sockets.every((e) => e.pid === undefined && /\b(FIN-WAIT-[12]|TIME-WAIT|CLOSING|LAST-ACK|CLOSE-WAIT|CLOSED)\b/.test(e.text));
}

/** Findings that mean the host is still (or again) infected. */
export function residualFindings(findings: Finding[]): Finding[] {
  return findings.filter((f) => f.artifacts.some((a) => !EXPOSURE_ONLY.has(a.type)) && !onlyDeadConnections(f));
}

export interface Comeback {
  /** what came back, e.g. "process kdevtmpfsi (pid 913, /tmp/kdevtmpfsi)" */
  what: string;
  /** where it came from, e.g. "cron line 2 of /var/spool/cron/crontabs/root: * * * * * …" */
  from: string[];
}

export interface VerifyOutcome {
  /** infected: the cleaning did not finish on the host (it failed or dropped) and the malware is still there; nothing "came back" */
  state: 'clean' | 'reinfected' | 'infected';
  findings: Finding[];
  comebacks: Comeback[];
}

function persistenceText(a: Artifact): string | null {
  switch (a.type) {
    case 'cron-line': return `cron line ${a.lineNumber} of ${a.path}: ${a.line}`;
    case 'unit': return `unit ${a.name} (${a.path})`;
    case 'init-script': return `init script ${a.path}`;
    case 'profile-line': return `profile line ${a.lineNumber} of ${a.path}: ${a.line}`;
    case 'preload': return `${a.path} entry ${a.entry}`;
    default: return null;
  }
}

function haystack(a: Artifact): string {
  if (a.type === 'cron-line' || a.type === 'profile-line') return a.line;
  if (a.type === 'preload') return a.entry;
  return 'path' in a ? a.path : '';
}

/**
 * Whether the host's cleaning ran to its end: the host stayed reachable and no cleaning task
 * failed. The immediate check (task `verify` of playbooks/remediate.yml) failing means the
 * miner is back, which the check after the respawn window calls reinfected.
 */
export function cleaningFinished(h: Pick<HostRun, 'status' | 'tasks'>): boolean {
  return h.status !== 'unreachable' && h.tasks.every((k) => k.status !== 'failed' || k.task === 'verify');
}

/**
 * Compare the re-probe's findings of one host to decide clean, reinfected or (when its cleaning
 * did not finish: `finished: false`) still infected, and why.
 */
export function judgeVerification(after: Finding[], opts: { finished?: boolean } = {}): VerifyOutcome {
  const findings = residualFindings(after);
  if (!findings.length) return { state: 'clean', findings: [], comebacks: [] };
  if (opts.finished === false) return { state: 'infected', findings, comebacks: [] };
  const artifacts = findings.flatMap((f) => f.artifacts);
  const persistence = artifacts.filter((a) => persistenceText(a) !== null);
  const comebacks: Comeback[] = [];
  for (const a of artifacts) {
    if (a.type !== 'process') continue;
    const exe = a.exe.replace(/ \(deleted\)$/, '');
    const base = exe.slice(exe.lastIndexOf('/') + 1) || a.comm;
    const named = persistence.filter((p) => {
      const h = haystack(p);
      return (exe && h.includes(exe)) || (base && h.includes(base)) || (a.comm && h.includes(a.comm));
    });
    const from = (named.length ? named : persistence).map((p) => persistenceText(p)!);
    comebacks.push({ what: `process ${a.comm} (pid ${a.pid}, ${a.exe || 'exe unknown'})`, from });
  }
  if (!comebacks.length) {
    for (const f of findings) comebacks.push({ what: f.title, from: f.artifacts.map(persistenceText).filter((x): x is string => x !== null) });
  }
  return { state: 'reinfected', findings, comebacks };
}
