import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { packageRoot } from '../core/paths.js';
import { RUN_SCHEMA, type HostRun, type RunRecord } from './types.js';

// The one builder of run records (sweep, run, and the commands on top of a sweep): the schema,
// the controller's hostname and minesweep's version, the fields every record has.

let pkgVersion: string | undefined;
/** minesweep's version from package.json (read once). */
export function minesweepVersion(): string {
  if (pkgVersion === undefined) {
    try {
      pkgVersion = (JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;
    } catch {
      pkgVersion = '0.0.0';
    }
  }
  return pkgVersion;
}

export type RecordFields = Omit<RunRecord, 'schema' | 'controller' | 'iocs' | 'finishedAt'> & Partial<Pick<RunRecord, 'iocs' | 'finishedAt'>>;

/** A run record: `finishedAt` defaults to `startedAt` (a record noted before the run ends), `iocs` to none. */
export function newRunRecord(f: RecordFields): RunRecord {
  return { schema: RUN_SCHEMA, ...f, finishedAt: f.finishedAt ?? f.startedAt, iocs: f.iocs ?? [], controller: { hostname: hostname(), version: minesweepVersion() } };
}

/** A host's entry before anything ran on it. */
export function newHostRun(t: { name: string; address: string; port: number; groups: string[] }, status: HostRun['status'], findings: HostRun['findings'] = []): HostRun {
  return { name: t.name, address: `${t.address}:${t.port}`, groups: t.groups, status, findings, tasks: [], quarantine: [] };
}
