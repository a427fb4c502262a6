import { closeSync, existsSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { HostStatus } from '../core/result.js';
import type { QuarantineRecord } from '../run/types.js';

// The controller half of the write-ahead journal: runs/RUN/journal.jsonl (0600), one JSON
// object per line, each appended and fsynced before the engine goes on. Before a step that
// changes a host runs, a `step` line says which host and step; after its record phase, an
// `undo` line holds the undo records the host wrote (before anything changed); after its apply
// phase, a `done` line. `rollback RUN` reads it back, also when the controller died at any
// instant and run.json was never written; a line cut short by a power loss is skipped.

export const JOURNAL_SCHEMA = 'minesweep.journal/1';
export const JOURNAL_FILE = 'journal.jsonl';

export interface JournalRun {
  runId: string;
  command: string;
  argv: string[];
  inventory: string[];
  /** the host-side quarantine directory of the run */
  quarantineDir: string;
  startedAt: string;
}

export type JournalEntry =
  | ({ j: 'run'; schema: typeof JOURNAL_SCHEMA } & JournalRun)
  | { j: 'step'; host: string; seq: number; task: string; description: string; at: string }
  | { j: 'undo'; host: string; seq: number; records: QuarantineRecord[]; at: string }
  | { j: 'done'; host: string; seq: number; status: HostStatus; at: string }
  | { j: 'stop'; reason: string; at: string }
  | { j: 'end'; at: string };

/** An append-only, fsynced journal file. */
export class Journal {
  private fd: number;
  readonly file: string;

  constructor(runDir: string, run: JournalRun) {
    this.file = path.join(runDir, JOURNAL_FILE);
    const fresh = !existsSync(this.file);
    this.fd = openSync(this.file, 'a', 0o600);
    if (fresh) {
      // the new directory entry must survive a power loss too
      const dir = openSync(runDir, 'r');
      try {
        fsyncSync(dir);
      } finally {
        closeSync(dir);
      }
      this.append({ j: 'run', schema: JOURNAL_SCHEMA, ...run });
    }
  }

  append(e: JournalEntry): void {
    writeSync(this.fd, JSON.stringify(e) + '\n');
    fsyncSync(this.fd);
  }

  close(): void {
    try {
      closeSync(this.fd);
    } catch {
      /* already closed */
    }
  }
}

export interface JournalHost {
  /** steps begun on this host */
  steps: number;
  /** undo records, in the order the host wrote them */
  records: QuarantineRecord[];
  /** steps begun and never reported done (the controller stopped during them) */
  inFlight: number[];
}

export interface JournalState {
  run?: JournalRun;
  hosts: Map<string, JournalHost>;
  stopped?: string;
  ended: boolean;
  /** lines that were not journal entries (a line cut short by a crash) */
  skipped: number;
}

/** Read a journal back; null when the run directory has none. */
export function readJournal(runDir: string): JournalState | null {
  const file = path.join(runDir, JOURNAL_FILE);
  if (!existsSync(file)) return null;
  const state: JournalState = { hosts: new Map(), ended: false, skipped: 0 };
  const open = new Map<string, Set<number>>();
  const hostOf = (name: string): JournalHost => {
    let h = state.hosts.get(name);
    if (!h) state.hosts.set(name, (h = { steps: 0, records: [], inFlight: [] }));
    return h;
  };
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    let e: JournalEntry;
    try {
      e = JSON.parse(line) as JournalEntry;
    } catch {
      state.skipped++;
      continue;
    }
    switch (e?.j) {
      case 'run': {
        const { j: _j, schema: _s, ...run } = e;
        state.run = run;
        break;
      }
      case 'step':
        hostOf(e.host).steps++;
        if (!open.has(e.host)) open.set(e.host, new Set());
        open.get(e.host)!.add(e.seq);
        break;
      case 'undo':
        if (Array.isArray(e.records)) hostOf(e.host).records.push(...e.records.map((r) => ({ ...r, host: e.host })));
        break;
      case 'done':
        open.get(e.host)?.delete(e.seq);
        break;
      case 'stop':
        state.stopped = e.reason;
        break;
      case 'end':
        state.ended = true;
        break;
      default:
        state.skipped++;
    }
  }
  for (const [host, seqs] of open) hostOf(host).inFlight = [...seqs];
  return state;
}
