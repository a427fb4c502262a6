#!/usr/bin/env node
// The scale case of bench/run.mjs: `minesweep sweep`'s own code path (inventory, transport,
// runFleet, parse, rules, fleet pivot, run directory, report) with one change: each host
// answers with a probe output recorded earlier from the same host (`cat FILE`), so a 2-core
// machine can show the CONTROLLER's cost at 100–1,000 targets without running 1,000 real
// probes on the same 2 cores. Prints one JSON line per host ({host, status, …}), then {totals, run}.
// Usage: node bench/scale-sweep.mjs -i INV --forks N --out DIR --replay /tmp/FILE [--workers N (0: in-process)]
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const load = (p) => import(path.join(dist, p));
const { readFleetOptions, transportOptions, loadTargets } = await load('commands/common.js');
const { sweepStream } = await load('commands/jsonl.js');
const { sweepExitCode } = await load('sweep/exit-code.js');
const { sweepFleet } = await load('sweep/sweep-fleet.js');
const { loadCatalogue } = await load('catalogue/load.js');
const { runFleet } = await load('transport/fleet.js');
const { command } = await load('core/quote.js');

const { values: a } = parseArgs({ options: { inventory: { type: 'string', short: 'i' }, forks: { type: 'string' }, out: { type: 'string' }, replay: { type: 'string' }, workers: { type: 'string' } } });
const o = readFleetOptions({ inventory: [a.inventory], forks: a.forks, timeout: '120', json: true });
const fleet = await transportOptions(o);
const t = await loadTargets(o, 'all', fleet);
// the probe's exec replaced by `cat`; its output goes to the analysis pool like the real probe's
const probeExec = async (session) => {
  const res = await session.exec(command('cat', a.replay), { timeoutMs: 120_000 });
  if (res.code !== 0) throw new Error(`cat ${a.replay} exited ${res.code}: ${res.stderr.toString().trim()}`);
  return { host: session.target.name, stdout: res.stdout, stderrTail: '', code: res.code, timedOut: false, timeoutMs: 120_000, durationMs: res.durationMs };
};
const workers = a.workers === undefined ? {} : { workers: Number(a.workers) };
const mem = (stage) => { const m = process.memoryUsage(); process.stderr.write(`memory ${stage}: rss ${(m.rss / 2 ** 20).toFixed(0)} MiB, heap ${(m.heapUsed / 2 ** 20).toFixed(0)} MiB, external ${(m.external / 2 ** 20).toFixed(0)} MiB, buffers ${(m.arrayBuffers / 2 ** 20).toFixed(0)} MiB
`); };
const stream = sweepStream('sweep');
const r = await sweepFleet(t.targets, { catalogue: loadCatalogue([]), fleet, out: a.out, argv: process.argv.slice(2), inventory: o.inventory, problems: t.problems, runFleet, probeExec, events: stream, ...workers });
stream.end(r.record, r.runDir, sweepExitCode(r.record));
mem('after the sweep');
if (r.runDir) (await load('report/write-report.js')).writeReport(r.runDir, { record: r.record });
mem('after the report');
