#!/usr/bin/env node
// Sharding on a lab that is up: wall time and controller peak RSS of one sweep of the 11
// scenario hosts vs N shards swept in parallel (one controller process each), and the merge
// of those shards. Each controller runs under /usr/bin/time (%e wall s, %M peak RSS KB).
//   node bench/shards.mjs --dir /var/lib/minesweep/lab-shard [--shards 3,11] [--out DIR]
// Not part of `npm test`. The lab must be up (`minesweep lab up --hosts 12 --bastion`, or
// one an e2e run left). Figures go to bench/README.md "Sharding" by hand, with the load.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values: a } = parseArgs({ options: { dir: { type: 'string' }, shards: { type: 'string', default: '3,11' }, out: { type: 'string' } } });
if (!a.dir) throw new Error('--dir LAB_DIR is required (the lab must be up)');
const cli = path.resolve(import.meta.dirname, '..', 'dist', 'cli.js');
const truth = JSON.parse(readFileSync(path.join(a.dir, 'ground-truth.json'), 'utf8'));
const visible = truth.hosts.filter((h) => !h.hidden);
const extraClean = visible.filter((h) => h.scenario === 'clean').slice(1).map((h) => h.name);
const hosts = visible.map((h) => h.name).filter((h) => !extraClean.includes(h));
const inventory = path.join(a.dir, 'inventory.yml');
const out = a.out ?? mkdtempSync(path.join(tmpdir(), 'ms-bench-shards-'));
const sweepArgs = ['-i', inventory, '--limit', hosts.join(':'), '--timeout', '180', '--run-timeout', '240'];

/** one controller under /usr/bin/time: its exit code, wall s, peak RSS MB and run dir */
const timed = (args) =>
  new Promise((resolve) => {
    execFile('/usr/bin/time', ['-f', '@@time %e %M', 'node', cli, ...args], { maxBuffer: 1 << 26 }, (err, stdout, stderr) => {
      const t = /@@time (\S+) (\d+)/.exec(stderr);
      resolve({ code: err ? err.code ?? 1 : 0, wall: Number(t?.[1]), rssMb: Number(t?.[2]) / 1024, run: /^run: (.+)$/m.exec(stdout)?.[1] });
    });
  });

const load = () => loadavg().map((x) => x.toFixed(1)).join(' ');
const rows = [];
async function caseOf(label, runs) {
  const l0 = load();
  const t0 = Date.now();
  const rs = await Promise.all(runs.map(timed));
  const wall = (Date.now() - t0) / 1000;
  const row = { case: label, controllers: rs.length, wallS: +wall.toFixed(1), peakRssMbMax: +Math.max(...rs.map((r) => r.rssMb)).toFixed(0), peakRssMbSum: +rs.reduce((s, r) => s + r.rssMb, 0).toFixed(0), exits: [...new Set(rs.map((r) => r.code))].join(','), loadBefore: l0, loadAfter: load() };
  rows.push(row);
  console.log(JSON.stringify(row));
  return rs;
}

await caseOf(`1 sweep of ${hosts.length}`, [['sweep', ...sweepArgs, '-o', path.join(out, 'one')]]);
for (const n of a.shards.split(',').map(Number)) {
  const rs = await caseOf(`${n} shards in parallel`, Array.from({ length: n }, (_, k) => ['sweep', ...sweepArgs, '--shard', `${k}/${n}`, '-o', path.join(out, `s${n}`)]));
  await caseOf(`merge of ${n}`, [['merge', ...rs.map((r) => r.run), '-o', path.join(out, `merged${n}`)]]);
}
console.log('\n| case | controllers | wall s | peak RSS MB (max / sum) | exit | load before → after (1/5/15 min) |\n|---|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.case} | ${r.controllers} | ${r.wallS} | ${r.peakRssMbMax} / ${r.peakRssMbSum} | ${r.exits} | ${r.loadBefore} → ${r.loadAfter} |`);
console.log(`runs in ${out}`);
