#!/usr/bin/env node
// What one probe costs the host and the controller, at several process counts:
//   node bench/probe-cost.mjs --dir LAB [--host h01] [--levels 20,1000,5000] [--no-saturate] [--build DIR] [--reps 1]
// On one host of a running lab (`minesweep lab up`), each level gives the host that many
// processes in all (src/lab/busy.ts: idle workers, supervisors, log followers, pipelines; by
// default also one nice-19 busy loop per CPU, so the probe runs on a saturated CPU), then
// runs the probe sweep would send (catalogue paths included) over plain OpenSSH, wrapped as
//   perf stat -e task:task_newtask sh -c 'sh -s; read S < /proc/$$/stat; …'
// and reports, per level:
//   processes section CPU s (forks)  the same for a probe of only the host and processes sections
//   host CPU s     user+system CPU of the probe's whole process tree: the wrapper's cutime +
//                  cstime once `sh -s` was waited for (every process the probe starts is
//                  waited for by its parent), from /proc accounting: independent of load
//   forks          tasks the probe created (forks and threads of `sh -s` and its descendants,
//                  nothing else): perf's task_newtask count over the wrapper's tree, less the
//                  wrapper's one fork of `sh -s`. Without perf on the host, PIDs allocated in the
//                  host's PID namespace meanwhile (ns_last_pid read by cat before and after),
//                  shown as ~N: that also counts what the host started meanwhile (the lab
//                  host's init loop starts one `sleep` every 5 s, cron its jobs)
//   output bytes   what the host sent (gzipped where it has gzip), and inflated
//   wall s         the probe's run time on the host (saturated CPU: mostly waiting for it)
//   parse ms       parseProbeOutput on the controller (median of 5), and processes / sections
//                  complete in the parsed facts
// --build DIR measures another build of the probe (e.g. the one before issue 14).
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { quote } = await import(path.join(root, 'dist', 'core', 'quote.js'));

function sshArgs(dir, address) {
  return ['-i', path.join(dir, 'id_ed25519'), '-o', `UserKnownHostsFile=${path.join(dir, 'known_hosts')}`, '-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes', '-o', 'ServerAliveInterval=10', `root@${address}`];
}

// The inner shell waits for the probe and prints its own children's CPU (cutime, cstime).
const INNER = `sh -s; read S < /proc/$$/stat; echo "@COST \${S##*) }" >&2`;
// (`read` cannot take ns_last_pid: a sysctl file answers only a read at offset 0, so dash's
// byte-by-byte read gets its first digit; cat reads it whole.)
const WRAP = `if perf stat -e task:task_newtask -x, true >/dev/null 2>&1; then exec perf stat -e task:task_newtask -x, sh -c ${quote(INNER)}; fi; L0=$(cat /proc/sys/kernel/ns_last_pid); sh -c ${quote(INNER)}; L1=$(cat /proc/sys/kernel/ns_last_pid); echo "@PIDS $L0 $L1" >&2`;

/** One probe on one host: its host-side cost and output. */
function probeOnce(dir, address, script) {
  const t0 = performance.now();
  const r = spawnSync('timeout', ['900', 'ssh', ...sshArgs(dir, address), `sh -c ${quote(WRAP)}`], { input: script, maxBuffer: 1 << 30 });
  const wall = (performance.now() - t0) / 1000;
  const err = r.stderr.toString();
  const m = /@COST (.*)/.exec(err);
  if (!m) throw new Error(`probe on ${address} gave no cost line (exit ${r.status}): ${err.slice(-300)}`);
  const f = m[1].trim().split(/\s+/);
  // after the comm: state is field 3, so cutime (16) and cstime (17) are the 14th and 15th
  const ticks = Number(f[13]) + Number(f[14]);
  const perf = /^(\d+),[^,\n]*,task:task_newtask/m.exec(err);
  const pids = /@PIDS (\d+) (\d+)/.exec(err);
  // perf: every task of the tree but the wrapper's `sh -s`; ns_last_pid: L0 is the first cat,
  // then the inner shell, `sh -s` and the probe's own tasks, and L1 the second cat
  const forks = perf ? Number(perf[1]) - 1 : pids ? Number(pids[2]) - Number(pids[1]) - 3 : NaN;
  return { out: r.stdout, ticks, forks, forksExact: Boolean(perf), wall };
}

/** Measure `levels` (total processes on the host) with the probe of `build` (a dist directory). */
export async function probeCost({ dir, host = 'h01', levels = [20, 1000, 5000], saturate = true, build = path.join(root, 'dist'), reps = 1, log = () => {} }) {
  const { buildScript } = await import(path.join(build, 'probe', 'script.js'));
  const { parseProbeOutput } = await import(path.join(build, 'probe', 'parse-output.js'));
  const { loadCatalogue } = await import(path.join(root, 'dist', 'catalogue', 'load.js'));
  const { startBusy, stopBusy } = await import(path.join(root, 'dist', 'lab', 'busy.js'));
  const { readState } = await import(path.join(root, 'dist', 'lab', 'state.js'));
  const address = readState(path.resolve(dir))?.hosts.find((h) => h.name === host)?.address;
  if (!address) throw new Error(`no host ${host} in the lab at ${dir}`);
  const clk = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  const paths = [...new Set(loadCatalogue([]).families.flatMap((f) => f.paths))];
  // as sweep sends it at its default --timeout 120 (budget 96 s)
  const script = buildScript({ paths, budgetSeconds: 96 });
  // the processes section alone (with host, the clock it needs): its own host CPU
  const procScript = buildScript({ paths, budgetSeconds: 96, only: ['host', 'processes'] });
  const zlib = await import('node:zlib');
  const rows = [];
  try {
    await stopBusy(dir, host);
    const base = (await startBusy(dir, host, { processes: 0 })) || 0;
    for (const level of levels) {
      const n = await startBusy(dir, host, { processes: Math.max(0, level - base), saturate });
      log(`${host}: ${n} processes${saturate ? ', CPUs saturated' : ''}; probing`);
      for (let rep = 0; rep < reps; rep++) {
        const p = probeOnce(dir, address, script);
        const pp = probeOnce(dir, address, procScript);
        const times = [];
        let facts;
        for (let i = 0; i < 5; i++) {
          const t = performance.now();
          facts = parseProbeOutput(p.out, { host });
          times.push(performance.now() - t);
        }
        times.sort((a, b) => a - b);
        const inflated = p.out.subarray(0, 4).toString('latin1') === '@GZ\n' ? zlib.gunzipSync(p.out.subarray(4)).length : p.out.length;
        rows.push({
          level, processesOnHost: n, saturated: saturate,
          hostCpuSeconds: p.ticks / clk, processesCpuSeconds: pp.ticks / clk, processesForks: pp.forks, forks: p.forks, forksExact: p.forksExact && pp.forksExact, outputBytes: p.out.length, inflatedBytes: inflated, wallSeconds: p.wall,
          parseMs: times[2], processesListed: facts.processes.length, incomplete: facts.meta.incomplete ?? [...new Set([...facts.meta.errors.map((e) => e.section), ...facts.meta.truncated])],
          processesSectionMs: facts.meta.sectionMs?.processes ?? null,
          // host CPU per section and of the package pass (the probe's own accounting), ms; --json shows it
          sectionCpuMs: facts.meta.sectionCpuMs ?? null,
        });
      }
    }
  } finally {
    await stopBusy(dir, host);
  }
  return rows;
}

export function costTable(rows) {
  const header = ['processes', 'host CPU s', 'processes section CPU s (forks)', 'forks', 'output KB (inflated)', 'host wall s', 'processes section s', 'parse ms', 'listed', 'incomplete'];
  const body = rows.map((r) => [String(r.processesOnHost), r.hostCpuSeconds.toFixed(2), `${r.processesCpuSeconds.toFixed(2)} (${r.forksExact ? '' : '~'}${r.processesForks})`, `${r.forksExact ? '' : '~'}${r.forks}`, `${(r.outputBytes / 1000).toFixed(1)} (${(r.inflatedBytes / 1000).toFixed(0)})`, r.wallSeconds.toFixed(1), r.processesSectionMs === null ? '-' : (r.processesSectionMs / 1000).toFixed(2), r.parseMs.toFixed(0), String(r.processesListed), r.incomplete.join(',') || '-']);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values: o } = parseArgs({
    options: {
      dir: { type: 'string' },
      host: { type: 'string', default: 'h01' },
      levels: { type: 'string', default: '20,1000,5000' },
      'no-saturate': { type: 'boolean', default: false },
      build: { type: 'string', default: path.join(root, 'dist') },
      reps: { type: 'string', default: '1' },
      json: { type: 'boolean', default: false },
    },
  });
  if (!o.dir) {
    process.stderr.write('usage: node bench/probe-cost.mjs --dir LAB_DIR [--host h01] [--levels 20,1000,5000] [--no-saturate] [--build DIR] [--reps N] [--json]\n');
    process.exit(2);
  }
  const rows = await probeCost({ dir: o.dir, host: o.host, levels: o.levels.split(',').map(Number), saturate: !o['no-saturate'], build: path.resolve(o.build), reps: Number(o.reps), log: (m) => process.stderr.write(`probe-cost: ${m}\n`) });
  if (o.json) console.log(JSON.stringify(rows, null, 2));
  console.log(costTable(rows));
  console.log(`load average ${execFileSync('cat', ['/proc/loadavg']).toString().split(' ').slice(0, 3).join(' ')}`);
}
