import { EXIT } from '../core/exit-codes.js';
import { escapeForTerminal } from '../core/terminal.js';
import { writeRunRecord } from '../run/run-dir.js';
import { reportUnfinished, writeUnfinishedRecords } from '../run/unfinished.js';
import { endPendingHosts, onRunDeadline } from '../transport/run-guard.js';
import { messageLine } from '../report/jsonl.js';
import { emit, jsonRequested } from './jsonl.js';

// The last-resort guard around every command: whatever goes wrong, the run ends as a
// reported failure — a one-line message (no stack trace; MINESWEEP_DEBUG=1 adds it; with
// --json also an error line), the run.json and report of a run that could not finish, exit
// code 3 — never a silent exit.
//   - an error nobody expected (thrown, or an unhandled rejection / exception);
//   - the event loop drains while the command still waits (Node would exit 13 silently):
//     first the hosts still pending are ended (run-guard.ts) and the command goes on; if it
//     is still stuck after that, the run is ended here;
//   - the run deadline passed and the command did not finish within a grace after it.

const DEADLINE_GRACE_MS = 60_000;

export interface Guard {
  /** the command failed in a way it did not handle: report it and set the exit code */
  fail(why: string, err?: unknown): void;
  /** the command returned (or failed): remove the guard's hooks */
  done(): void;
}

/** Install the guard for one command. */
export function lastResort(): Guard {
  let finished = false;
  const fail = (why: string, err?: unknown): void => {
    if (finished) return;
    finished = true;
    process.stderr.write(`minesweep: ${escapeForTerminal(why)}\n`);
    // with --json the stream ends with this error line instead of its summary
    if (jsonRequested()) emit(messageLine('error', why));
    if (process.env['MINESWEEP_DEBUG'] && err instanceof Error && err.stack) process.stderr.write(err.stack + '\n');
    try {
      for (const dir of writeUnfinishedRecords(why, writeRunRecord)) {
        reportUnfinished(dir);
        process.stderr.write(`run: ${escapeForTerminal(dir)} (recorded as unfinished)\n`);
      }
    } catch (e) {
      process.stderr.write(`minesweep: the unfinished run could not be recorded: ${escapeForTerminal((e as Error).message)}\n`);
    }
    process.exitCode = EXIT.failed;
  };
  const onDrain = (): void => {
    if (finished) return;
    if (endPendingHosts('the controller had nothing left to wait on while this host was still pending (a wait that could never end)')) return;
    fail('internal error: the command stopped with work that can never finish (the event loop drained); the hosts not accounted for are marked failed');
  };
  const onError = (e: unknown): void => {
    if (finished) {
      // after the command ended (a late socket error): say it, keep its exit code
      process.stderr.write(`minesweep: warning: ${escapeForTerminal((e as Error)?.message ?? String(e))}\n`);
      return;
    }
    fail(`internal error: ${(e as Error)?.message ?? String(e)}`, e);
    process.exit();
  };
  process.on('beforeExit', onDrain);
  process.on('uncaughtException', onError);
  process.on('unhandledRejection', onError);
  const offDeadline = onRunDeadline(() => {
    setTimeout(() => {
      fail(`the run deadline passed and the command did not finish within ${DEADLINE_GRACE_MS / 1000} s after it`);
      process.exit();
    }, DEADLINE_GRACE_MS).unref();
  });
  return {
    fail,
    done() {
      finished = true;
      process.off('beforeExit', onDrain);
      offDeadline();
    },
  };
}
