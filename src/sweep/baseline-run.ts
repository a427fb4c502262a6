import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { readRunRecord, RunDirError } from '../run/run-dir.js';
import type { RunRecord } from '../run/types.js';

// Which run `sweep --baseline RUN|latest` compares with. latest: the newest run directory under
// the runs root (names start with the UTC start time) holding a finished sweep: a run.json of
// command sweep (a sweep or a merge), not of one shard, and the summary.txt a sweep writes
// only when it ran to the end (a run the last-resort guard recorded as unfinished has none).

export interface BaselineRun {
  dir: string;
  record: RunRecord;
}

/** Is this run directory a finished whole sweep (what `latest` may pick)? */
export function isFinishedSweep(dir: string, record: RunRecord): boolean {
  return record.command === 'sweep' && !record.shard && existsSync(path.join(dir, 'summary.txt'));
}

/** The newest finished sweep under `outRoot`, or null. Reads run.json newest first and stops at the first that qualifies. */
export function latestSweep(outRoot: string): BaselineRun | null {
  if (!existsSync(outRoot)) return null;
  const names = readdirSync(outRoot, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(path.join(outRoot, e.name, 'run.json')))
    .map((e) => e.name)
    .sort()
    .reverse();
  for (const name of names) {
    const dir = path.resolve(outRoot, name);
    let record: RunRecord;
    try {
      record = readRunRecord(dir);
    } catch {
      continue;
    }
    if (isFinishedSweep(dir, record)) return { dir, record };
  }
  return null;
}

/** The baseline run: `latest` under `outRoot`, or the run directory given. Throws RunDirError (a usage error) when there is none. */
export function resolveBaseline(spec: string, outRoot: string): BaselineRun {
  if (spec === 'latest') {
    const run = latestSweep(outRoot);
    if (!run) throw new RunDirError(`--baseline latest: no finished sweep run in ${path.resolve(outRoot)}. Fix: run one sweep with the same --out first (without --baseline), or pass a run directory`);
    return run;
  }
  const dir = path.resolve(spec);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new RunDirError(`--baseline ${spec}: not a run directory. Fix: pass a run directory sweep printed (runs/<time>-<id>) or \`latest\``);
  return { dir, record: readRunRecord(dir) };
}
