#!/usr/bin/env node
// Inventory expansion at fleet scale: the path every fleet command takes before it connects
// (loadTargets: read and parse -i, reconcile, group/host vars, --limit, one Target per host),
// for generated inventories of N hosts under ONE group (the shape that exposed a quadratic
// unique-key check) as YAML, INI and ansible-inventory --list JSON, without and with
// `--limit` naming one host. Each case runs in a fresh node process: wall and CPU seconds.
// No lab, no network. Part of `npm run bench`; alone: node bench/inventory-load.mjs [--hosts 10000,20000,100000]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.resolve(here, '..', 'dist');

/** One measurement, in this (fresh) process: `--one FILE [--limit NAME]`. */
async function one(file, limit) {
  const { readFleetOptions, loadTargets } = await import(path.join(dist, 'commands', 'common.js'));
  const t0 = performance.now();
  const o = readFleetOptions({ inventory: [file], ...(limit ? { limit } : {}) });
  const t = await loadTargets(o, 'all', { forks: 1, sshConfigFile: null });
  const cpu = process.cpuUsage();
  process.stdout.write(JSON.stringify({ targets: t.targets.length, wallSeconds: (performance.now() - t0) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6 }) + '\n');
}

const name = (i) => `web${String(i).padStart(6, '0')}`;
const addr = (i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
const FORMATS = {
  yaml: (n) => {
    let s = 'all:\n  vars:\n    ansible_user: root\n  children:\n    web:\n      hosts:\n';
    for (let i = 0; i < n; i++) s += `        ${name(i)}:\n          ansible_host: ${addr(i)}\n`;
    return s;
  },
  ini: (n) => {
    let s = '[web]\n';
    for (let i = 0; i < n; i++) s += `${name(i)} ansible_host=${addr(i)}\n`;
    return s + '[all:vars]\nansible_user=root\n';
  },
  json: (n) => {
    const hosts = Array.from({ length: n }, (_, i) => name(i));
    return JSON.stringify({ _meta: { hostvars: Object.fromEntries(hosts.map((h, i) => [h, { ansible_host: addr(i) }])) }, all: { children: ['ungrouped', 'web'], vars: { ansible_user: 'root' } }, web: { hosts } });
  },
};

/** Every case for the given sizes; returns rows {format, hosts, limit, targets, wallSeconds, cpuSeconds}. */
export function inventoryBench(sizes, log = () => {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'minesweep-bench-inventory-'));
  const rows = [];
  try {
    for (const n of sizes) {
      for (const [format, make] of Object.entries(FORMATS)) {
        const file = path.join(dir, `inv-${n}.${format === 'yaml' ? 'yml' : format}`);
        writeFileSync(file, make(n));
        for (const limit of [undefined, name(Math.floor(n / 2))]) {
          const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--one', file, ...(limit ? ['--limit', limit] : [])], { encoding: 'utf8', timeout: 600_000 });
          const m = r.status === 0 ? JSON.parse(r.stdout.trim().split('\n').at(-1)) : { targets: null, wallSeconds: null, cpuSeconds: null, error: (r.stderr || String(r.error)).slice(-300) };
          const row = { format, hosts: n, limit: limit ?? null, ...m };
          rows.push(row);
          log(`inventory ${format.padEnd(4)} ${String(n).padStart(7)} hosts${limit ? ` --limit ${limit}` : ''}: ${m.wallSeconds === null ? `FAILED ${m.error}` : `${m.wallSeconds.toFixed(2)} s wall, ${m.cpuSeconds.toFixed(2)} s CPU, ${m.targets} targets`}`);
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values: a } = parseArgs({ options: { one: { type: 'string' }, limit: { type: 'string' }, hosts: { type: 'string', default: '10000,20000,100000' } } });
  if (a.one) await one(a.one, a.limit);
  else inventoryBench(a.hosts.split(',').map(Number), (l) => console.log(l));
}
