#!/usr/bin/env node
// npm run bench -- [--hosts N] [--forks F] [--reps R] [--targets 100,1000] [--inventory-hosts 10000,100000] [--keep-lab]
//
// minesweep against ansible-playbook and parallel-ssh on the same lab hosts, same forks,
// interleaved repetitions (the order rotates each repetition); prints medians and ratios,
// hosts that succeeded (counted from each tool's own per-host output, not exit codes),
// controller CPU seconds, peak RSS of the largest process and of the whole process tree,
// and writes bench/results.json. Talks only to the lab's own namespaces. See bench/README.md.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { gunzipSync } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import YAML from 'yaml';
import { inventoryBench } from './inventory-load.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'dist', 'cli.js');
const playbook = path.join(root, 'bench', 'ansible', 'sweep.yml');

const { values: opt } = parseArgs({
  options: {
    hosts: { type: 'string', default: '10' },
    forks: { type: 'string', default: '10' },
    reps: { type: 'string', default: '2' },
    targets: { type: 'string', default: '1000,10000' },
    'inventory-hosts': { type: 'string', default: '10000,20000,100000' },
    dir: { type: 'string', default: '/var/lib/minesweep/lab-bench' },
    subnet: { type: 'string', default: '198.18.7.0/24' },
    'keep-lab': { type: 'boolean', default: false },
    'skip-ansible-defaults': { type: 'boolean', default: false },
    'skip-growth': { type: 'boolean', default: false },
    'probe-levels': { type: 'string', default: '20,1000,5000' },
    'skip-probe-cost': { type: 'boolean', default: false },
    out: { type: 'string', default: path.join(root, 'bench', 'results.json') },
  },
});
const hosts = Number(opt.hosts);
const forks = Number(opt.forks);
const reps = Number(opt.reps);
const scaleTargets = opt.targets.split(',').filter(Boolean).map(Number);
const inventorySizes = opt['inventory-hosts'].split(',').filter(Boolean).map(Number);
const benchStarted = performance.now();

function die(msg) {
  process.stderr.write(`bench: ${msg}\n`);
  process.exit(2);
}
const log = (m) => process.stderr.write(`bench: ${m}\n`);
if (process.getuid?.() !== 0) die('the lab needs root (network namespaces); run as root.');
for (const tool of ['ansible-playbook', 'parallel-ssh', 'ssh']) {
  if (spawnSync('sh', ['-c', 'command -v "$1"', 'sh', tool]).status !== 0)
    die(`${tool} is missing: apt-get install -y ansible-core pssh openssh-client (or bash .ci/packages.sh)`);
}
if (!existsSync(cli)) die('build first: npm run build');
const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK']).stdout.toString().trim()) || 100;

const REPLAY = '/tmp/minesweep-bench-probe.out'; // on each lab host (scale case)
const work = mkdtempSync(path.join(tmpdir(), 'minesweep-bench-'));

// --- measuring --------------------------------------------------------------------------
function procStat(pid) {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]), rssPages: Number(f[21]) };
  } catch {
    return undefined;
  }
}
/** Sum of RSS (KiB) of `pid` and all its descendants right now. */
function treeRssKiB(pid) {
  const kids = new Map();
  const rss = new Map();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const s = procStat(d);
    if (!s) continue;
    rss.set(Number(d), s.rssPages);
    (kids.get(s.ppid) ?? kids.set(s.ppid, []).get(s.ppid)).push(Number(d));
  }
  let total = 0;
  const stack = [pid];
  while (stack.length) {
    const p = stack.pop();
    total += rss.get(p) ?? 0;
    stack.push(...(kids.get(p) ?? []));
  }
  return total * 4;
}

/**
 * Run argv under GNU time: wall seconds, controller CPU seconds (user+sys of the process and
 * every child it waited for), peak RSS of its largest process (%M), peak RSS summed over the
 * whole process tree (sampled every 250 ms), stdout, stderr.
 */
let running;
function run(argv, { env = {}, stdin } = {}) {
  return new Promise((resolve) => {
    const timeFile = path.join(work, 'time.txt');
    rmSync(timeFile, { force: true });
    const t0 = performance.now();
    // its own process group, so an interrupted bench stops it (and its ssh children) too
    const child = spawn('/usr/bin/time', ['-f', '%e %U %S %M', '-o', timeFile, ...argv], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    running = child;
    const out = [];
    const err = [];
    child.stdout.on('data', (b) => out.push(b));
    child.stderr.on('data', (b) => err.push(b));
    child.stdin.on('error', () => {});
    child.stdin.end(stdin ?? '');
    let treePeak = 0;
    const sample = () => (treePeak = Math.max(treePeak, treeRssKiB(child.pid)));
    const timer = setInterval(sample, 250);
    child.on('close', (code) => {
      running = undefined;
      clearInterval(timer);
      const wall = (performance.now() - t0) / 1000;
      let cpu = NaN;
      let rssKiB = NaN;
      try {
        const [, u, s, m] = readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(/\s+/).map(Number);
        cpu = u + s;
        rssKiB = m;
      } catch {}
      resolve({ exit: code, wall, cpu, rssKiB, treeRssKiB: treePeak, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}
if (!existsSync('/usr/bin/time')) die('/usr/bin/time is missing: apt-get install -y time');

const median = (xs) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  const n = s.length;
  return n ? (n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2) : NaN;
};

// --- the lab (always brought down at exit unless --keep-lab, also on failure / Ctrl-C) ----
let labIsUp = false;
function labDown() {
  if (!labIsUp || opt['keep-lab']) return;
  labIsUp = false;
  log(`bringing the lab down (${opt.dir})`);
  spawnSync('node', [cli, 'lab', 'down', '--dir', opt.dir], { stdio: ['ignore', 'ignore', 'inherit'] });
}
process.on('exit', () => {
  if (running) try { process.kill(-running.pid, 'SIGTERM'); } catch {}
  labDown();
  rmSync(work, { recursive: true, force: true });
});
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => process.exit(130));
process.on('uncaughtException', (e) => die(`crashed: ${e.stack ?? e}`));
process.on('unhandledRejection', (e) => die(`crashed: ${e?.stack ?? e}`));

const labInventory = path.join(opt.dir, 'inventory.yml');
if (existsSync(path.join(opt.dir, 'lab-state.json'))) {
  log(`a lab is left over in ${opt.dir}: bringing it down first`);
  spawnSync('node', [cli, 'lab', 'down', '--dir', opt.dir], { stdio: ['ignore', 'ignore', 'inherit'] });
}
const tLab = performance.now();
labIsUp = true;
const up = spawnSync('node', [cli, 'lab', 'up', '--dir', opt.dir, '--subnet', opt.subnet, '--hosts', String(hosts)], { stdio: ['ignore', 'ignore', 'inherit'] });
if (up.status !== 0) die('lab up failed');
const labUpSeconds = (performance.now() - tLab) / 1000;
const inv = YAML.parse(readFileSync(labInventory, 'utf8'));

function labHosts(node, out = new Map()) {
  for (const [name, vars] of Object.entries(node?.hosts ?? {})) out.set(name, { ...(out.get(name) ?? {}), ...(vars ?? {}) });
  for (const child of Object.values(node?.children ?? {})) labHosts(child, out);
  return out;
}
const allVars = inv.all?.vars ?? {};
const targets = [...labHosts(inv.all)].filter(([name, v]) => !/pool/.test(name) && v.lab_scenario !== 'pool' && v.ansible_host);
if (targets.length === 0) die(`no lab hosts in ${labInventory}`);
const key = allVars.ansible_ssh_private_key_file;
const knownHosts = /UserKnownHostsFile=(\S+)/.exec(allVars.ansible_ssh_common_args ?? '')?.[1] ?? path.join(opt.dir, 'known_hosts');
const flat = targets.map(([name, v]) => [name, v.ansible_host]);

// --- one probe's cost on a host with 20 / 1,000 / 5,000 processes, CPUs saturated (bench/probe-cost.mjs)
let probeCostRows = [];
if (!opt['skip-probe-cost']) {
  const { probeCost, costTable } = await import('./probe-cost.mjs');
  probeCostRows = await probeCost({ dir: opt.dir, host: flat[0][0], levels: opt['probe-levels'].split(',').filter(Boolean).map(Number), log });
  log(`probe cost:\n${costTable(probeCostRows)}`);
}

// One inventory shape for all contenders: [name, address] pairs, the lab's connection vars.
function writeInventory(tag, list) {
  const hostsObj = Object.fromEntries(list.map(([name, addr]) => [name, { ansible_host: addr }]));
  const invFile = path.join(work, `inventory-${tag}.yml`);
  writeFileSync(invFile, YAML.stringify({ all: { vars: { ...allVars, ansible_user: 'root' }, hosts: hostsObj } }));
  // parallel-ssh: the same names through an ssh_config (distinct output files per name)
  const sshConfig = path.join(work, `ssh_config-${tag}`);
  writeFileSync(sshConfig, list.map(([name, addr]) => `Host ${name}\n  HostName ${addr}\n`).join('') +
    `Host *\n  User root\n  IdentityFile ${key}\n  IdentitiesOnly yes\n  UserKnownHostsFile ${knownHosts}\n  StrictHostKeyChecking yes\n  BatchMode yes\n`);
  const psshHosts = path.join(work, `pssh-hosts-${tag}`);
  writeFileSync(psshHosts, list.map(([name]) => name).join('\n') + '\n');
  return { tag, list, invFile, sshConfig, psshHosts };
}

// The bytes `minesweep sweep` sends to every host, for parallel-ssh to send too.
const printed = spawnSync('node', [path.join(root, 'bench', 'probe-script.mjs')], { maxBuffer: 1 << 26 });
if (printed.status !== 0 || printed.stdout.length === 0) die(`cannot get the probe script: ${printed.stderr}`);
const probeScript = printed.stdout;
// The catalogue paths the probe checks, for the Ansible playbook's "known paths" task.
const varsFile = path.join(work, 'ansible-vars.json');
const { loadCatalogue } = await import(path.join(root, 'dist', 'catalogue', 'load.js'));
writeFileSync(varsFile, JSON.stringify({ bench_paths: [...new Set(loadCatalogue([]).families.flatMap((f) => f.paths))] }));
const playbookTasks = YAML.parse(readFileSync(playbook, 'utf8'))[0].tasks.length;

// --- contenders: each returns the measurement plus hosts ok / total, from per-host output ---
function sweepFacts(runDir) {
  // hosts whose probe hit a section watchdog or the budget: their facts are partial
  let partial = 0;
  try {
    for (const f of readdirSync(path.join(runDir, 'facts'))) {
      const raw = readFileSync(path.join(runDir, 'facts', f));
      const j = JSON.parse((f.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8'));
      if ((j.meta?.errors ?? []).length) partial++;
    }
  } catch {}
  return partial;
}
async function minesweep(set, { scale = false } = {}) {
  const outDir = path.join(work, 'runs');
  const argv = scale
    ? ['node', path.join(root, 'bench', 'scale-sweep.mjs'), '-i', set.invFile, '--forks', String(forks), '--out', outDir, '--replay', REPLAY]
    : ['node', cli, 'sweep', '-i', set.invFile, '--forks', String(forks), '--out', outDir, '--json'];
  const m = await run(argv);
  // the typed --json stream (minesweep.jsonl/1): a host's last host line is its final state; the summary names the run
  const lines = m.stdout.split('\n').filter(Boolean).map((l) => { try { return JSON.parse(l); } catch { return {}; } });
  const hostLines = [...new Map(lines.filter((l) => l.type === 'host').map((l) => [l.host, l])).values()];
  const runDir = lines.find((l) => l.type === 'summary')?.runDir;
  const failures = hostLines.filter((l) => l.status !== 'ok').map((l) => `${l.host}: ${l.status} ${l.reason ?? ''}`);
  const partial = runDir ? sweepFacts(runDir) : 0;
  if (runDir) rmSync(runDir, { recursive: true, force: true });
  return finish('minesweep', set, m, hostLines.length - failures.length, failures, partial, [0, 1].includes(m.exit));
}
async function ansible(set, { defaults = false } = {}) {
  const cpDir = mkdtempSync(path.join(work, 'cp-')); // a cold ControlPersist per run, no reuse across runs
  const env = defaults
    ? { ANSIBLE_SSH_CONTROL_PATH_DIR: cpDir }
    : { ANSIBLE_SSH_CONTROL_PATH_DIR: cpDir, ANSIBLE_PIPELINING: 'True', ANSIBLE_GATHERING: 'explicit', ANSIBLE_PYTHON_INTERPRETER: 'auto_silent' };
  const m = await run(['ansible-playbook', '-i', set.invFile, '-f', String(forks), '-e', `@${varsFile}`, playbook], { env: { ANSIBLE_NOCOLOR: '1', ANSIBLE_LOCAL_TEMP: path.join(work, 'ansible-tmp'), ...env } });
  // The ssh ControlPersist masters run detached (not in ansible's rusage): add their CPU, then stop them.
  let masterTicks = 0;
  for (const sock of readdirSync(cpDir)) {
    const c = spawnSync('ssh', ['-o', `ControlPath=${path.join(cpDir, sock)}`, '-O', 'check', 'bench'], { encoding: 'utf8' });
    const pid = /pid=(\d+)/.exec(c.stderr)?.[1];
    if (pid) masterTicks += procStat(pid)?.ticks ?? 0;
    spawnSync('ssh', ['-o', `ControlPath=${path.join(cpDir, sock)}`, '-O', 'exit', 'bench'], { stdio: 'ignore' });
  }
  m.cpu += masterTicks / CLK_TCK;
  const want = playbookTasks + (defaults ? 1 : 0); // + Gathering Facts
  let ok = 0;
  const failures = [];
  for (const [, name, okN, unreach, failed] of m.stdout.matchAll(/^(\S+)\s*:\s*ok=(\d+)\s+changed=\d+\s+unreachable=(\d+)\s+failed=(\d+)/gm)) {
    if (Number(okN) >= want && unreach === '0' && failed === '0') ok++;
    else failures.push(`${name}: ok=${okN}/${want} unreachable=${unreach} failed=${failed}`);
  }
  return finish(defaults ? 'ansible-defaults' : 'ansible', set, m, ok, failures, 0, m.exit === 0);
}
async function parallelSsh(set, { scale = false } = {}) {
  const outDir = mkdtempSync(path.join(work, 'pssh-out-'));
  const remote = scale ? `cat ${REPLAY}` : 'sh -s';
  const m = await run(['parallel-ssh', '-h', set.psshHosts, '-p', String(forks), '-t', '120', '-x', `-F ${set.sshConfig}`, '-o', outDir, ...(scale ? [] : ['-I']), remote], { stdin: scale ? '' : probeScript });
  const failures = [...m.stdout.matchAll(/\[FAILURE\] (\S+)(.*)$/gm)].map((x) => `${x[1]}:${x[2]}`);
  let ok = 0;
  let partial = 0;
  for (const [name] of set.list) {
    let o = '';
    try { o = readFileSync(path.join(outDir, name), 'latin1'); } catch {}
    // where the host has gzip the probe's output is "@GZ\n" and one gzip stream (src/probe/records.ts)
    if (o.startsWith('@GZ\n')) try { o = gunzipSync(Buffer.from(o.slice(4), 'latin1')).toString('latin1'); } catch { o = ''; }
    if (/\n@END\n?$/.test(o)) ok++;
    if (/\n@T (timeout|budget)/.test(o)) partial++;
  }
  if (set === labSet) lastPsshOut = outDir; // every lab host's probe output: the scale case replays it
  else rmSync(outDir, { recursive: true, force: true });
  return finish('parallel-ssh', set, m, Math.min(ok, (m.stdout.match(/\[SUCCESS\]/g) ?? []).length), failures, partial, m.exit === 0);
}
let lastPsshOut;

function finish(label, set, m, hostsOk, failures, partial, exitOk) {
  const r = { label, targets: set.list.length, hostsOk, partial, exit: m.exit, ok: exitOk && hostsOk === set.list.length, wall: m.wall, cpu: m.cpu, rssMiB: m.rssKiB / 1024, treeRssMiB: m.treeRssKiB / 1024, failures: failures.slice(0, 20) };
  log(`${label.padEnd(17)} ${String(set.list.length).padStart(4)} targets: ${m.wall.toFixed(2).padStart(7)} s  cpu ${m.cpu.toFixed(2)} s  rss ${r.rssMiB.toFixed(0)} MiB (tree ${r.treeRssMiB.toFixed(0)})  ok ${hostsOk}/${set.list.length}${partial ? `  partial facts on ${partial}` : ''}${r.ok ? '' : `  FAILED (exit ${m.exit}) ${failures.slice(0, 3).join('; ')} ${m.stderr.slice(-300)}`}`);
  return r;
}

// --- interleaved repetitions on the lab hosts (order rotates every repetition) ------------
const labSet = writeInventory('lab', flat);
const contenders = [
  ['minesweep', () => minesweep(labSet)],
  ['ansible (pipelining, no facts)', () => ansible(labSet)],
  ['parallel-ssh (same probe)', () => parallelSsh(labSet)],
];
const runs = {};
for (let r = 0; r < reps; r++) {
  log(`repetition ${r + 1}/${reps}`);
  for (let i = 0; i < contenders.length; i++) {
    const [name, fn] = contenders[(i + r) % contenders.length];
    (runs[name] ??= []).push(await fn());
  }
}
if (!opt['skip-ansible-defaults']) runs['ansible (defaults)'] = [await ansible(labSet, { defaults: true })];

const summarize = (ms) => ({
  wall: median(ms.map((m) => m.wall)),
  cpu: median(ms.map((m) => m.cpu)),
  rssMiB: Math.max(...ms.map((m) => m.rssMiB)),
  treeRssMiB: Math.max(...ms.map((m) => m.treeRssMiB)),
  runs: ms.length,
  okRuns: ms.filter((m) => m.ok).length,
  hostsOk: Math.min(...ms.map((m) => m.hostsOk)),
  partial: Math.max(...ms.map((m) => m.partial)),
});
const summary = Object.fromEntries(Object.entries(runs).map(([name, ms]) => [name, summarize(ms)]));

// --- growth: 10 hosts -> all lab hosts (real probe) -----------------------------------------
const growth = [];
if (!opt['skip-growth'])
  for (const n of [10, flat.length].filter((n, i, a) => n < flat.length && a.indexOf(n) === i)) {
    const set = writeInventory(`hosts-${n}`, flat.slice(0, n));
    growth.push({ hosts: n, minesweep: await minesweep(set), parallelSsh: await parallelSsh(set) });
  }
growth.push({ hosts: flat.length, minesweep: runs.minesweep.at(-1), parallelSsh: runs['parallel-ssh (same probe)'].at(-1) });

// --- scale: the lab hosts listed many times under different names ---------------------------
// Round-robin (t0000 -> h01, t0001 -> h02, ...), so with forks <= hosts no sshd sees more than
// about one new connection at a time (sshd MaxStartups). Each host replays its own recorded
// probe output (`cat`): this case measures the controller, not 1,000 probes on 2 cores.
const scale = [];
let ssh2Floor;
if (scaleTargets.length && lastPsshOut) {
  // all uploads in parallel, and `wait` for every one before the scale runs start
  const uploads = flat.map(([name]) => `{ ssh -F "$1" ${name} 'cat > ${REPLAY}' < "$2/${name}" || echo ${name}; } &`).join('\n');
  const up2 = spawnSync('sh', ['-c', `${uploads}\nwait`, 'sh', labSet.sshConfig, lastPsshOut], { encoding: 'utf8' });
  if (up2.stdout.trim()) log(`uploading the recorded probe output failed on: ${up2.stdout.trim().split('\n').join(' ')} (the scale case shows them as failed)`);
  // bare ssh2 on the same lab hosts, same forks, same `cat`: the transport's floor per connection
  const floorRun = spawnSync('node', [path.join(root, 'bench', 'ssh2-floor.mjs'), '--key', key, '--addresses', flat.map(([, addr]) => addr).join(','), '--n', String(Math.min(1000, Math.max(...scaleTargets))), '--forks', String(forks), '--file', REPLAY], { encoding: 'utf8' });
  try {
    ssh2Floor = JSON.parse(floorRun.stdout.trim().split('\n').at(-1));
    log(`ssh2 floor: ${ssh2Floor.ok}/${ssh2Floor.connections} connections, ${ssh2Floor.cpuMsPerConnection.toFixed(2)} ms CPU each`);
  } catch {
    log(`ssh2 floor not measured: ${floorRun.stderr.slice(-300)}`);
  }
  for (const n of scaleTargets) {
    const list = Array.from({ length: n }, (_, i) => [`t${String(i).padStart(4, '0')}`, flat[i % flat.length][1]]);
    const set = writeInventory(`scale-${n}`, list);
    const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
    const loadBefore = { minesweep: load() };
    const ms = await minesweep(set, { scale: true });
    loadBefore.parallelSsh = load();
    scale.push({ targets: n, minesweep: ms, parallelSsh: await parallelSsh(set, { scale: true }), loadBefore });
  }
}

labDown();

// --- inventory expansion at 10k-100k hosts (no lab) -----------------------------------------
const inventory = inventoryBench(inventorySizes, log);
const benchSeconds = (performance.now() - benchStarted) / 1000;

// --- report -------------------------------------------------------------------------------
const ms = summary.minesweep;
const fmt = (x, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : '-');
const table = (header, rows) => {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => String(c).padEnd(widths[i])).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
};
const text = [];
text.push(`minesweep bench: ${flat.length} lab hosts, forks ${forks}, ${reps} interleaved repetitions, ${new Date().toISOString()}`);
if (probeCostRows.length) {
  const { costTable } = await import('./probe-cost.mjs');
  text.push(`one probe on ${flat[0][0]} by processes on the host, its CPUs saturated (host CPU: the probe's process tree from /proc; forks: PIDs allocated in the host's namespace):\n${costTable(probeCostRows)}\n`);
}
text.push(`(lab up ${labUpSeconds.toFixed(1)} s, whole bench ${benchSeconds.toFixed(0)} s, load average at the end ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')})\n`);
text.push(table(
  ['contender', 'wall s (median)', 'vs minesweep', 'CPU s', 'RSS MiB (largest proc)', 'RSS MiB (tree)', 'ok runs', 'hosts ok', 'partial facts'],
  Object.entries(summary).map(([name, s]) => [name, fmt(s.wall), `${fmt(s.wall / ms.wall, 1)}×`, fmt(s.cpu), fmt(s.rssMiB, 0), fmt(s.treeRssMiB, 0), `${s.okRuns}/${s.runs}`, `${s.hostsOk}/${flat.length}`, s.partial]),
));
const ansibleFast = summary['ansible (pipelining, no facts)'];
const pssh = summary['parallel-ssh (same probe)'];
const aims = {
  ansibleOverMinesweep: ansibleFast.wall / ms.wall,
  minesweepOverParallelSsh: ms.wall / pssh.wall,
};
text.push(`\naims: ansible-playbook / minesweep = ${fmt(aims.ansibleOverMinesweep, 1)}× (aim ≥ 20×); minesweep / parallel-ssh = ${fmt(aims.minesweepOverParallelSsh)}× (aim ≤ 1.2×)`);
text.push('\ngrowth, real probe (wall s / controller CPU s / RSS MiB / hosts ok):');
text.push(table(['hosts', 'minesweep', 'parallel-ssh'], growth.map((g) => [g.hosts, ...[g.minesweep, g.parallelSsh].map((m) => `${fmt(m.wall)} / ${fmt(m.cpu)} / ${fmt(m.rssMiB, 0)} / ${m.hostsOk}`)])));
if (scale.length) {
  // one line per size and tool: CPU and memory per host, cores busy (CPU s / wall s)
  const per = (s, label, m) => `scale: ${s.targets} targets, ${fmt((m.cpu * 1000) / s.targets, 1)} ms CPU/host, ${fmt(((label === 'minesweep' ? m.rssMiB : m.treeRssMiB) * 1024) / s.targets, 0)} KB RSS/host, ${fmt(m.cpu / m.wall, 2)} cores busy, ${fmt(m.wall, 1)} s wall (${label}, ${m.hostsOk}/${s.targets} ok)`;
  for (const s of scale) {
    s.lines = [per(s, 'minesweep', s.minesweep), per(s, 'parallel-ssh', s.parallelSsh)];
    text.push(...s.lines.map((l, i) => `${l}, load before ${i ? s.loadBefore.parallelSsh : s.loadBefore.minesweep}`));
  }
  if (ssh2Floor) text.push(`ssh2 floor: bare ssh2 (connect, auth, exec cat, read, close): ${fmt(ssh2Floor.cpuMsPerConnection)} ms CPU per connection over ${ssh2Floor.connections} (${ssh2Floor.ok} ok)`);
  text.push('\nscale, each host replays its recorded probe output (wall s / controller CPU s / RSS MiB largest proc / tree / hosts ok):');
  text.push(table(['targets', 'minesweep', 'parallel-ssh'], scale.map((s) => [s.targets, ...[s.minesweep, s.parallelSsh].map((m) => `${fmt(m.wall)} / ${fmt(m.cpu)} / ${fmt(m.rssMiB, 0)} / ${fmt(m.treeRssMiB, 0)} / ${m.hostsOk}`)])));
}
if (inventory.length) {
  text.push('\ninventory expansion, one group, fresh process each (wall s / CPU s; loadTargets: parse, vars, --limit, targets):');
  const cell = (r) => (r && r.wallSeconds !== null ? `${fmt(r.wallSeconds)} / ${fmt(r.cpuSeconds)}` : 'FAILED');
  const find = (f, n, lim) => inventory.find((r) => r.format === f && r.hosts === n && (r.limit !== null) === lim);
  text.push(table(['hosts', 'YAML', 'YAML --limit 1', 'INI', 'INI --limit 1', 'JSON --list', 'JSON --limit 1'], inventorySizes.map((n) => [n, ...['yaml', 'ini', 'json'].flatMap((f) => [cell(find(f, n, false)), cell(find(f, n, true))])])));
}
const failed = [...Object.values(runs).flat(), ...growth.flatMap((g) => [g.minesweep, g.parallelSsh]), ...scale.flatMap((s) => [s.minesweep, s.parallelSsh])].filter((m) => !m.ok);
if (failed.length) {
  text.push(`\nNOT every host succeeded in ${failed.length} run(s):`);
  for (const m of failed) text.push(`  ${m.label} (${m.targets} targets): ${m.hostsOk} ok, exit ${m.exit}; ${m.failures.slice(0, 5).join('; ')}`);
}
console.log(text.join('\n'));
mkdirSync(path.dirname(opt.out), { recursive: true });
writeFileSync(opt.out, JSON.stringify({ at: new Date().toISOString(), hosts: flat.length, forks, reps, labUpSeconds, benchSeconds, probeScriptBytes: probeScript.length, ansibleTasks: playbookTasks, aims, summary, runs, growth, scale, ssh2Floor, inventory, probeCost: probeCostRows, table: text.join('\n') }, null, 2) + '\n');
console.log(`\nresults: ${opt.out}`);
process.exitCode = failed.length ? 1 : 0;
