import { decodeLossless } from '../core/bytes.js';
import type { HostStatus } from '../core/result.js';
import type { Step } from '../actions/types.js';
import type { StepRecord, TaskRecord } from '../run/types.js';
import type { Session } from '../transport/types.js';

// Runs planned steps on one host in order (the --apply edge of remediate, rollback and
// harden): one exec per step, masked records, stop at the first failure. A step counts
// as changed when its output carries one of the planners' change markers.

const CHANGE_MARKERS = /^(MS-CHANGED|MSQ v1 |MSR-CHANGED|MS-KILLED)/m;

/** Replace every mask string with ******** (longest first). */
export function masked(text: string, mask: string[] | undefined): string {
  let out = text;
  for (const m of [...(mask ?? [])].filter(Boolean).sort((a, b) => b.length - a.length)) out = out.split(m).join('********');
  return out;
}

export interface StepOutcome {
  step: Step;
  record: StepRecord;
  stdout: Buffer;
  startedAt: number;
  endedAt: number;
}

export interface RunStepsOptions {
  become?: boolean;
  timeoutMs?: number;
  /** called after each step (evidence capture, quarantine records) */
  onStep?: (o: StepOutcome) => void | Promise<void>;
}

/** Run steps in order; returns every outcome, stopping after the first failure. */
export async function runSteps(session: Session, steps: Step[], opts: RunStepsOptions = {}): Promise<StepOutcome[]> {
  const out: StepOutcome[] = [];
  for (const step of steps) {
    const t0 = Date.now();
    let status: HostStatus;
    let stdout: Buffer = Buffer.alloc(0);
    let stderr = '';
    let code: number | null = null;
    try {
      const r = await session.exec(step.command, {
        ...(step.stdin !== undefined ? { stdin: step.stdin } : {}),
        ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
        become: step.become === true || opts.become === true,
      });
      stdout = r.stdout;
      stderr = decodeLossless(r.stderr);
      code = r.code;
      const text = decodeLossless(r.stdout);
      status = r.code === 0 && !r.timedOut ? (CHANGE_MARKERS.test(text) ? 'changed' : 'ok') : 'failed';
      if (r.timedOut) stderr += '\n(timed out)';
    } catch (e) {
      status = 'failed';
      stderr = (e as Error).message;
    }
    const text = step.capture ? `(${stdout.length} bytes saved to ${step.capture})` : decodeLossless(stdout);
    const record: StepRecord = {
      description: masked(step.description, step.mask),
      status,
      command: masked(step.command, step.mask),
      stdout: masked(text, step.mask).slice(0, 20_000),
      stderr: masked(stderr, step.mask).slice(0, 20_000),
      exitCode: code,
      ...(step.diff ? { diff: masked(step.diff, step.mask) } : {}),
    };
    const o: StepOutcome = { step, record, stdout, startedAt: t0, endedAt: Date.now() };
    out.push(o);
    await opts.onStep?.(o);
    if (status === 'failed') break;
  }
  return out;
}

/** Group outcomes into one task record per phase (or per `taskOf`). */
export function taskRecords(play: string, module: string, outcomes: StepOutcome[], taskOf: (s: Step) => string = (s) => s.phase ?? 'steps'): TaskRecord[] {
  const tasks = new Map<string, TaskRecord & { t0: number; t1: number }>();
  for (const o of outcomes) {
    const name = taskOf(o.step);
    let t = tasks.get(name);
    if (!t) {
      t = { play, task: name, module, tags: [name], status: 'ok', steps: [], startedAt: new Date(o.startedAt).toISOString(), durationMs: 0, t0: o.startedAt, t1: o.endedAt };
      tasks.set(name, t);
    }
    t.steps.push(o.record);
    t.t1 = o.endedAt;
    if (o.record.status === 'failed') t.status = 'failed';
    else if (o.record.status === 'changed' && t.status !== 'failed') t.status = 'changed';
  }
  return [...tasks.values()].map(({ t0, t1, ...t }) => ({ ...t, durationMs: t1 - t0 }));
}

/** The host status of a list of tasks. */
export function overallStatus(tasks: TaskRecord[]): HostStatus {
  if (tasks.some((t) => t.status === 'failed')) return 'failed';
  if (tasks.some((t) => t.status === 'changed')) return 'changed';
  return 'ok';
}
