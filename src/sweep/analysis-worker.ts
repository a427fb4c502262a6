import { parentPort, workerData } from 'node:worker_threads';
import type { RawProbe } from '../probe/run-probe.js';
import { analyzeOne, pivotOne, type HostAnalysisSetup, type PivotJob } from './host-analysis.js';
import { toMessage } from './analysis-message.js';

// One worker of the analysis pool (analysis-pool.ts): parses, judges and writes one host at a
// time, and does hosts' share of the fleet pivot, so the main thread keeps only the transport.
const setup = workerData as HostAnalysisSetup;
parentPort!.on('message', (m: { id: number; out: RawProbe } | { id: number; pivot: PivotJob }) => {
  try {
    if ('pivot' in m) return parentPort!.postMessage({ id: m.id, value: pivotOne(m.pivot, setup) });
    const { value, transfer } = toMessage(analyzeOne(m.out, setup));
    parentPort!.postMessage({ id: m.id, value }, transfer);
  } catch (e) {
    parentPort!.postMessage({ id: m.id, error: (e as Error).message });
  }
});
