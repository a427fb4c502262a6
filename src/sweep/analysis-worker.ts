import { parentPort, workerData } from 'node:worker_threads';
import type { RawProbe } from '../probe/run-probe.js';
import { analyzeOne, type HostAnalysisSetup } from './host-analysis.js';
import { toMessage } from './analysis-message.js';

// One worker of the analysis pool (analysis-pool.ts): parses, judges and writes one host at a
// time, so the main thread keeps only the transport.
const setup = workerData as HostAnalysisSetup;
parentPort!.on('message', ({ id, out }: { id: number; out: RawProbe }) => {
  try {
    const { value, transfer } = toMessage(analyzeOne(out, setup));
    parentPort!.postMessage({ id, value }, transfer);
  } catch (e) {
    parentPort!.postMessage({ id, error: (e as Error).message });
  }
});
