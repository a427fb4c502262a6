import type { Step } from '../actions/types.js';
import type { QuarantineRecord, StepRecord } from '../run/types.js';
import type { RanStep } from '../engine/run-step.js';
import type { AccessCheck } from './module-types.js';

// The lockout guard after a changed task of a module with verifyAccess: a fresh login is
// tried; when it fails the module's restore step runs (while the task's session still
// lives) and the login is tried again. The task fails either way; the step records say which.

export interface AccessOutcome {
  /** the check, restore and second check, as step records of the task */
  steps: StepRecord[];
  records: QuarantineRecord[];
  /** why the task failed; absent when the fresh login worked */
  failure?: string;
  /** ok: login works after the change; restored: it failed, the previous state is back and login works; failed: no login */
  login: 'ok' | 'restored' | 'failed';
}

export async function verifyAccessAfter(check: Pick<AccessCheck, 'after' | 'restored'>, freshLogin: () => Promise<boolean>, restoreStep: () => Step | null, run: (step: Step) => Promise<RanStep>): Promise<AccessOutcome> {
  if (await freshLogin()) return { steps: [{ description: check.after, status: 'ok' }], records: [], login: 'ok' };
  const steps: StepRecord[] = [{ description: check.after, status: 'failed' }];
  const restore = restoreStep();
  if (!restore) return { steps, records: [], failure: `${check.after}: no (nothing to put back)`, login: 'failed' };
  let records: QuarantineRecord[] = [];
  let done = false;
  try {
    const ran = await run(restore);
    records = ran.records;
    done = ran.result.code === 0 && !ran.result.timedOut;
  } catch {
    /* the session is gone too: the restore did not run */
  }
  steps.push({ description: restore.description, status: done ? 'changed' : 'failed' });
  const again = done && (await freshLogin());
  steps.push({ description: check.restored, status: again ? 'ok' : 'failed' });
  const failure = again ? `no fresh login after the change: the previous state was put back and login works again` : `no fresh login after the change${done ? ', not even after putting the previous state back' : ' and putting the previous state back failed'}`;
  return { steps, records, failure, login: again ? 'restored' : 'failed' };
}
