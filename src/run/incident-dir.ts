import { existsSync, readFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { mkdirPrivate, writePrivate } from './private-files.js';
import { safeName } from './safe-name.js';

// An incident: the runs of one response (sweep, remediate, harden, sweep again …) listed in
// <incident dir>/incident.json, in the order they started. `--incident NAME` puts the dir at
// <out>/incidents/NAME; a value with a slash is the directory itself.

export const INCIDENT_RUNS_SCHEMA = 'minesweep.incident-runs/1';

export interface IncidentRunEntry {
  id: string;
  /** absolute path of the run directory */
  dir: string;
  command: string;
  startedAt: string;
}

export interface IncidentRuns {
  schema: typeof INCIDENT_RUNS_SCHEMA;
  name: string;
  runs: IncidentRunEntry[];
}

/** Why a --incident value is unusable, or null. */
export function incidentNameProblem(v: string): string | null {
  if (!v.trim()) return '--incident needs a name (e.g. 2026-12-redis) or a directory';
  if (/[\u0000-\u001f\u007f]/.test(v)) return '--incident: control characters are not allowed in the name';
  return null;
}

/** The incident directory for a --incident value: NAME under <out>/incidents, or a path (has a slash). */
export function incidentDir(v: string, out: string): string {
  return v.includes('/') ? path.resolve(v) : path.resolve(out, 'incidents', safeName(v));
}

/** The incident's name: the one recorded, else the directory's. */
const nameOf = (dir: string) => path.basename(dir);

/** Read <dir>/incident.json; errors name the file and what to do. */
export function readIncidentRuns(dir: string): IncidentRuns {
  const file = path.join(dir, 'incident.json');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`${file}: no incident here (${(e as NodeJS.ErrnoException).code ?? String(e)}). Runs join an incident with --incident NAME (sweep, remediate, harden, run, merge); give the same NAME and --out, or the incident directory.`);
  }
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file}: not valid JSON (${(e as Error).message}). Restore it from the run directories: each run.json names its incident.`);
  }
  const o = v as Partial<IncidentRuns>;
  if (!o || o.schema !== INCIDENT_RUNS_SCHEMA || !Array.isArray(o.runs)) throw new Error(`${file}: expected {"schema": "${INCIDENT_RUNS_SCHEMA}", "name", "runs": [...]}`);
  const runs = o.runs.filter((r): r is IncidentRunEntry => !!r && typeof r.id === 'string' && typeof r.dir === 'string');
  return { schema: INCIDENT_RUNS_SCHEMA, name: typeof o.name === 'string' ? o.name : nameOf(dir), runs };
}

/** Add (or update) a run in the incident, creating the directory (0700) and file (0600); runs kept in start order. */
export function addIncidentRun(dir: string, name: string, entry: IncidentRunEntry): IncidentRuns {
  mkdirPrivate(dir);
  const current = existsSync(path.join(dir, 'incident.json')) ? readIncidentRuns(dir) : { schema: INCIDENT_RUNS_SCHEMA, name, runs: [] as IncidentRunEntry[] };
  const runs = [...current.runs.filter((r) => r.dir !== entry.dir), entry].sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.id.localeCompare(b.id));
  const next: IncidentRuns = { schema: INCIDENT_RUNS_SCHEMA, name: current.name, runs };
  const tmp = path.join(dir, `.incident.json.${process.pid}`);
  writePrivate(tmp, JSON.stringify(next, null, 2) + '\n');
  renameSync(tmp, path.join(dir, 'incident.json'));
  return next;
}
