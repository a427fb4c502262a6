import type { HostFacts } from '../facts/types.js';
import type { Session } from '../transport/types.js';
import { incompleteSections, parseProbeOutput } from './parse-output.js';
import { buildScript, type ScriptOptions } from './script.js';

export interface ProbeOptions extends Omit<ScriptOptions, 'budgetSeconds'> {
  /** list files changed within this many seconds (--since) */
  since?: number;
  /** alias of since (sweep's name for it) */
  sinceSeconds?: number;
  /** whole exec, ms (default 120 s); the script's own budget is 80% of it */
  timeoutMs?: number;
  become?: boolean;
}

/** What one probe exec gave back, before parsing: plain data, so a worker thread can parse it. */
export interface RawProbe {
  host: string;
  stdout: Uint8Array;
  /** the last lines of stderr (for the message when the probe printed nothing) */
  stderrTail: string;
  code: number | null;
  timedOut: boolean;
  timeoutMs: number;
  durationMs: number;
}

/**
 * Run the probe on one host: the script on stdin to `sh -s` in ONE exec. Throws only when the
 * connection died mid-probe (no facts to judge the host by, only a reason).
 */
export async function execProbe(session: Session, opts: ProbeOptions = {}): Promise<RawProbe> {
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const since = opts.since ?? opts.sinceSeconds;
  const script = buildScript({ ...opts, ...(since !== undefined ? { since } : {}), budgetSeconds: Math.max(5, Math.floor((timeoutMs / 1000) * 0.8)) });
  const res = await session.exec('sh -s', { stdin: script, timeoutMs, ...(opts.become ? { become: true } : {}) });
  if (res.lost) throw new Error(`connection lost after ${Math.round(res.durationMs / 1000)} s of the probe (${res.stdout.length} bytes read): ${res.lost}`);
  const stderrTail = res.stderr.subarray(-4096).toString('utf8').trim().split('\n').slice(-3).join(' | ');
  return { host: session.target.name, stdout: res.stdout, stderrTail, code: res.code, timedOut: res.timedOut, timeoutMs, durationMs: res.durationMs };
}

/**
 * Pure: a probe's output → HostFacts. Throws only when the exec produced nothing usable (no
 * header); partial output gives partial facts with meta.errors.
 */
export function factsFromOutput(out: RawProbe): HostFacts {
  const stdout = Buffer.isBuffer(out.stdout) ? out.stdout : Buffer.from(out.stdout.buffer, out.stdout.byteOffset, out.stdout.byteLength);
  const facts = parseProbeOutput(stdout, { host: out.host, durationMs: out.durationMs });
  if (!facts.hostname && facts.meta.errors.some((e) => e.section === 'probe'))
    throw new Error(`${out.host}: the probe printed no output (exit ${out.code}${out.timedOut ? ', timed out' : ''})${out.stderrTail ? `: ${out.stderrTail}` : ''}`);
  if (out.timedOut) facts.meta.errors.push({ section: 'probe', message: `the exec timed out after ${out.timeoutMs} ms; facts are partial` });
  facts.meta.incomplete = incompleteSections(facts);
  return facts;
}

/** Probe one host and parse its output (execProbe, then factsFromOutput). */
export async function probeHost(session: Session, opts: ProbeOptions = {}): Promise<HostFacts> {
  return factsFromOutput(await execProbe(session, opts));
}
