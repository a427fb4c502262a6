import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { RawProbe } from '../probe/run-probe.js';
import { fromMessage, ownBuffer } from './analysis-message.js';
import type { Finding } from '../findings/types.js';
import { analyzeOne, pivotOne, type HostAnalysis, type HostAnalysisSetup, type PivotJob } from './host-analysis.js';

// Hosts' probe outputs parsed, judged and written on worker threads (one per core but the
// main thread's), and the fleet pivot's reading back of facts done there too, so that the
// main thread only runs the transport: handshakes never wait behind a host's parsing.
// The output's bytes are transferred to the worker, the pivot index's bytes back. A worker
// that dies fails only the hosts it held, and the next host gets a fresh worker. Without
// the compiled worker (code run from its TypeScript source) the hosts are analysed in-process.

export interface AnalysisPool {
  analyze(out: RawProbe): Promise<HostAnalysis>;
  /** one host's share of the fleet pivot (its facts read back from the spill dir by the worker) */
  pivot(job: PivotJob): Promise<Finding[] | null>;
  /** how many workers (0: in-process) */
  readonly size: number;
  close(): Promise<void>;
}

interface Slot {
  worker: Worker;
  pending: Map<number, { resolve: (a: unknown) => void; reject: (e: Error) => void }>;
}

const compiledWorker = fileURLToPath(new URL('./analysis-worker.js', import.meta.url));

/** In-process, for code run from source and for a pool of size 0. */
function inProcess(setup: HostAnalysisSetup): AnalysisPool {
  return { size: 0, analyze: async (out) => analyzeOne(out, setup), pivot: async (job) => pivotOne(job, setup), close: async () => {} };
}

/** `workerFile`: the worker's script (default: the compiled analysis-worker.js next to this file). */
export function analysisPool(setup: HostAnalysisSetup, size: number = availableParallelism() - 1, workerFile: string = compiledWorker): AnalysisPool {
  if (size < 1 || !existsSync(workerFile)) return inProcess(setup);
  const slots: Array<Slot | undefined> = Array.from({ length: size }, () => undefined);
  let nextId = 0;

  const start = (i: number): Slot => {
    const slot: Slot = { worker: new Worker(workerFile, { workerData: setup }), pending: new Map() };
    // a worker keeps the process alive only while it holds hosts (run-guard sees a drained loop)
    slot.worker.unref();
    const failAll = (why: string): void => {
      if (slots[i] === slot) slots[i] = undefined;
      for (const p of slot.pending.values()) p.reject(new Error(why));
      slot.pending.clear();
    };
    slot.worker.on('message', (m: { id: number; value?: unknown; error?: string }) => {
      const p = slot.pending.get(m.id);
      if (!p) return;
      slot.pending.delete(m.id);
      if (slot.pending.size === 0) slot.worker.unref();
      if (m.error !== undefined) p.reject(new Error(m.error));
      else p.resolve(m.value);
    });
    slot.worker.on('error', (e) => failAll(`the analysis worker failed: ${e.message}`));
    slot.worker.on('exit', (code) => failAll(`the analysis worker exited (code ${code})`));
    slots[i] = slot;
    return slot;
  };

  // to the least busy worker (a dead one is replaced)
  const send = <R>(message: object, transfer: ArrayBuffer[]): Promise<R> => {
    let best = 0;
    for (let i = 1; i < size; i++) if ((slots[i]?.pending.size ?? 0) < (slots[best]?.pending.size ?? 0)) best = i;
    const slot = slots[best] ?? start(best);
    const id = nextId++;
    return new Promise<R>((resolve, reject) => {
      slot.pending.set(id, { resolve: resolve as (a: unknown) => void, reject });
      slot.worker.ref();
      slot.worker.postMessage({ id, ...message }, transfer);
    });
  };

  return {
    size,
    async analyze(out) {
      const stdout = ownBuffer(out.stdout);
      return fromMessage(await send<HostAnalysis>({ out: { ...out, stdout: new Uint8Array(stdout) } }, [stdout]));
    },
    pivot: (job) => send<Finding[] | null>({ pivot: job }, []),
    async close() {
      await Promise.all(slots.map((s) => s?.worker.terminate()));
      slots.fill(undefined);
    },
  };
}
