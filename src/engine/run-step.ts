import type { Step } from '../actions/types.js';
import { parseQuarantineOutput } from '../quarantine/manifest.js';
import { decodeLossless } from '../core/bytes.js';
import type { QuarantineRecord } from '../run/types.js';
import type { Journal } from './journal.js';

// One step on one host. A step that records its undo (`journal: true`, see undo-lib.ts) runs
// twice: the record phase writes the undo records on the host and prints them, the controller
// journal gets them (fsynced), and only then the apply phase changes anything. Any other step
// runs once.

export interface StepResult {
  code: number | null;
  stdout: Buffer;
  stderr: string;
  timedOut: boolean;
}

/** One exec on the host; throws when the connection is gone. */
export type StepExec = (command: string, o: { stdin?: string | Buffer; timeoutMs?: number; become?: boolean }) => Promise<StepResult>;

/** Where a host's steps are numbered and journaled. */
export interface UndoContext {
  host: string;
  /** the controller journal (absent: the host manifest alone holds the records) */
  journal?: Journal;
  /** the host-side quarantine directory */
  quarantineDir: string;
  /** the next step number on this host */
  nextSeq(): number;
}

export interface RanStep {
  result: StepResult;
  /** undo records the step wrote before it changed anything */
  records: QuarantineRecord[];
}

/** The command as the host runs it in one phase of a journaled step. */
export function phaseCommand(command: string, phase: 'record' | 'apply', seq: number): string {
  return `MS_PHASE=${phase}\nMS_SEQ=${seq}\n${command}`;
}

const okResult = (r: StepResult) => r.code === 0 && !r.timedOut;

export async function runStep(exec: StepExec, step: Step, o: { become: boolean; timeoutMs?: number; undo: UndoContext; task: string; description: string }): Promise<RanStep> {
  const io = { ...(step.stdin !== undefined ? { stdin: step.stdin } : {}), become: step.become ?? o.become, ...(o.timeoutMs ? { timeoutMs: o.timeoutMs } : {}) };
  if (!step.journal) return { result: await exec(step.command, io), records: [] };
  const seq = o.undo.nextSeq();
  const at = () => new Date().toISOString();
  const j = o.undo.journal;
  j?.append({ j: 'step', host: o.undo.host, seq, task: o.task, description: o.description, at: at() });
  // a lost connection throws out of here with the step left open in the journal (rollback checks the host)
  const rec = await exec(phaseCommand(step.command, 'record', seq), io);
  const records = parseQuarantineOutput(decodeLossless(rec.stdout), o.undo.quarantineDir);
  j?.append({ j: 'undo', host: o.undo.host, seq, records, at: at() });
  if (!okResult(rec)) {
    j?.append({ j: 'done', host: o.undo.host, seq, status: 'failed', at: at() });
    return { result: { ...rec, stderr: `${rec.stderr}${rec.stderr.endsWith('\n') || !rec.stderr ? '' : '\n'}(the undo records could not be written: nothing was changed)` }, records };
  }
  const r = await exec(phaseCommand(step.command, 'apply', seq), io);
  j?.append({ j: 'done', host: o.undo.host, seq, status: okResult(r) ? 'changed' : 'failed', at: at() });
  return { result: r, records };
}
