import { decodeLossless } from '../core/bytes.js';
import type { HostStatus } from '../core/result.js';
import { masked } from '../core/mask.js';
import { CHANGE_MARKERS, type Step } from '../actions/types.js';
import { runStep, type StepExec, type UndoContext } from '../engine/run-step.js';
import type { StopSignal } from '../engine/stop.js';
import type { QuarantineRecord, StepRecord, TaskRecord } from '../run/types.js';
import type { Session } from '../transport/types.js';

// Runs planned steps on one host in order (the --apply edge of remediate, rollback and
// harden): one exec per step, masked records, stop at the first failure. A step counts
// as changed when its output carries one of the planners' change markers.


export interface StepOutcome {
  step: Step;
  record: StepRecord;
  stdout: Buffer;
  /** undo records the step wrote before it changed anything */
  records: QuarantineRecord[];
  startedAt: number;
  endedAt: number;
}

export interface RunStepsOptions {
  become?: boolean;
  timeoutMs?: number;
  /** numbering and journal of this host's steps (every step that records its undo needs it) */
  undo: UndoContext;
  /** the task name for the journal */
  task?: string;
  /** a stop request: no step starts once it is set */
  stop?: StopSignal;
  /** called after each step (evidence capture, quarantine records) */
  onStep?: (o: StepOutcome) => void | Promise<void>;
}

/** Run steps in order; returns every outcome, stopping after the first failure (or a stop request). */
export async function runSteps(session: Session, steps: Step[], opts: RunStepsOptions): Promise<StepOutcome[]> {
  const out: StepOutcome[] = [];
  const exec: StepExec = async (command, o) => {
    const r = await session.exec(command, o);
    return { code: r.code, stdout: r.stdout, stderr: decodeLossless(r.stderr), timedOut: r.timedOut };
  };
  for (const step of steps) {
    if (opts.stop?.reason) break;
    const t0 = Date.now();
    let status: HostStatus;
    let stdout: Buffer = Buffer.alloc(0);
    let stderr = '';
    let code: number | null = null;
    let records: QuarantineRecord[] = [];
    try {
      const ran = await runStep(exec, step, { become: opts.become === true, ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}), undo: opts.undo, task: opts.task ?? step.phase ?? 'steps', description: masked(step.description, step.mask) });
      const r = ran.result;
      records = ran.records;
      stdout = r.stdout;
      stderr = r.stderr;
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
    const o: StepOutcome = { step, record, stdout, records, startedAt: t0, endedAt: Date.now() };
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
