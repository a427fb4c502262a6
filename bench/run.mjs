#!/usr/bin/env node
// npm run bench -- [--hosts N] [--forks F] [--reps R] [--targets 100,1000] [--keep-lab]
//
// minesweep against ansible-playbook and parallel-ssh on the same lab hosts, same forks,
// interleaved repetitions; prints medians and ratios, controller CPU seconds and peak RSS,
// and writes bench/results.json. Talks only to the lab's own namespaces.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import YAML from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'dist', 'cli.js');

const { values: opt } = parseArgs({
  options: {
    hosts: { type: 'string', default: '20' },
    forks: { type: 'string', default: '10' },
    reps: { type: 'string', default: '3' },
    targets: { type: 'string', default: '100,500,1000' },
    dir: { type: 'string', default: '/var/lib/minesweep/lab-bench' },
    subnet: { type: 'string', default: '198.18.7.0/24' },
    'keep-lab': { type: 'boolean', default: false },
    'skip-ansible-defaults': { type: 'boolean', default: false },
    out: { type: 'string', default: path.join(root, 'bench', 'results.json') },
  },
});
const hosts = Number(opt.hosts);
const forks = Number(opt.forks);
const reps = Number(opt.reps);
const scaleTargets = opt.targets.split(',').filter(Boolean).map(Number);

function die(msg) {
  process.stderr.write(`bench: ${msg}\n`);
  process.exit(2);
}
if (process.getuid?.() !== 0) die('the lab needs root (network namespaces); run as root.');
for (const tool of ['ansible-playbook', 'parallel-ssh', '/usr/bin/time']) {
  if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0)
    die(`${tool} is missing: apt-get install -y ansible-core pssh time (or bash .ci/packages.sh)`);
}
if (!existsSync(cli)) die('build first: npm run build');

const work = mkdtempSync(path.join(tmpdir(), 'minesweep-bench-'));

/** Run a command under GNU time; returns wall seconds, CPU seconds, peak RSS (KiB). */
function measure(label, argv, { env = {}, stdinFile } = {}) {
  const timeFile = path.join(work, 'time.txt');
  const cmd = ['-f', '%e %U %S %M', '-o', timeFile, ...argv];
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', cmd, {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
    input: stdinFile ? readFileSync(stdinFile) : '',
    maxBuffer: 1 << 30,
  });
  const wall = (performance.now() - t0) / 1000;
  const [e, u, s, m] = readFileSync(timeFile, 'utf8').trim().split(/\s+/).slice(-4).map(Number);
  const ok = r.status === 0 || (label.startsWith('minesweep') && r.status === 1); // 1 = findings
  if (!ok) process.stderr.write(`bench: ${label} exited ${r.status}: ${String(r.stderr).slice(-800)}\n`);
  return { label, ok, exit: r.status, wall: e || wall, cpu: u + s, rssKiB: m };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n ? (n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2) : NaN;
};

// --- the lab ----------------------------------------------------------------
const labInventory = path.join(opt.dir, 'inventory.yml');
const t0 = performance.now();
const up = spawnSync('node', [cli, 'lab', 'up', '--dir', opt.dir, '--subnet', opt.subnet, '--hosts', String(hosts)], { stdio: 'inherit' });
if (up.status !== 0) die('lab up failed');
const labUpSeconds = (performance.now() - t0) / 1000;
const inv = YAML.parse(readFileSync(labInventory, 'utf8'));

// Every lab host except the pool, with its address and connection settings.
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

// One inventory for all three contenders: the lab hosts, flat.
function writeInventory(file, list) {
  const hostsObj = {};
  for (const [name, addr] of list) hostsObj[name] = { ansible_host: addr };
  writeFileSync(file, YAML.stringify({ all: { vars: { ...allVars, ansible_user: 'root' }, hosts: hostsObj } }));
  return file;
}
const flat = targets.map(([name, v]) => [name, v.ansible_host]);
const invFile = writeInventory(path.join(work, 'inventory.yml'), flat);

// The probe script minesweep sends, for parallel-ssh to send the same bytes.
const probeFile = path.join(work, 'probe.sh');
const printed = spawnSync('node', [cli, 'sweep', '--print-probe'], { maxBuffer: 1 << 26 });
if (printed.status !== 0 || printed.stdout.length === 0) die(`cannot get the probe script: minesweep sweep --print-probe: ${printed.stderr}`);
writeFileSync(probeFile, printed.stdout);

const sshArgs = `-i ${key} -o UserKnownHostsFile=${knownHosts} -o StrictHostKeyChecking=yes -o BatchMode=yes`;
function psshHostsFile(list) {
  const f = path.join(work, `pssh-${list.length}.txt`);
  writeFileSync(f, list.map(([, addr]) => `root@${addr}`).join('\n') + '\n');
  return f;
}

const contenders = {
  minesweep: (inventory) => measure('minesweep', ['node', cli, 'sweep', '-i', inventory, '--forks', String(forks), '--out', path.join(work, 'runs'), '--json']),
  'ansible (pipelining, no facts)': (inventory) =>
    measure('ansible-fast', ['ansible-playbook', '-i', inventory, '-f', String(forks), path.join(root, 'bench', 'ansible', 'sweep.yml')], {
      env: { ANSIBLE_PIPELINING: 'True', ANSIBLE_HOST_KEY_CHECKING: 'True', ANSIBLE_STDOUT_CALLBACK: 'null', ANSIBLE_LOAD_CALLBACK_PLUGINS: 'False', ANSIBLE_PYTHON_INTERPRETER: 'auto_silent', ANSIBLE_LOCAL_TEMP: path.join(work, 'ansible-tmp') },
    }),
  'parallel-ssh': (_inventory, list) =>
    measure('parallel-ssh', ['parallel-ssh', '-h', psshHostsFile(list), '-p', String(forks), '-t', '120', '-x', sshArgs, '-I', '-o', path.join(work, 'pssh-out'), 'sh -s'], { stdinFile: probeFile }),
};

// --- interleaved repetitions on the lab hosts ---------------------------------
const runs = {};
for (let r = 0; r < reps; r++) {
  for (const [name, run] of Object.entries(contenders)) {
    const m = run(invFile, flat);
    (runs[name] ??= []).push(m);
    process.stderr.write(`rep ${r + 1}/${reps} ${name}: ${m.wall.toFixed(2)} s${m.ok ? '' : ' (FAILED)'}\n`);
  }
}
if (!opt['skip-ansible-defaults']) {
  const m = measure('ansible-defaults', ['ansible-playbook', '-i', invFile, '-f', String(forks), '-e', 'bench_gather_facts=true', path.join(root, 'bench', 'ansible', 'sweep.yml')], {
    env: { ANSIBLE_STDOUT_CALLBACK: 'null', ANSIBLE_PYTHON_INTERPRETER: 'auto_silent', ANSIBLE_LOCAL_TEMP: path.join(work, 'ansible-tmp') },
  });
  runs['ansible (defaults)'] = [m];
  process.stderr.write(`ansible (defaults): ${m.wall.toFixed(2)} s\n`);
}

const summary = Object.fromEntries(
  Object.entries(runs).map(([name, ms]) => [
    name,
    { wall: median(ms.map((m) => m.wall)), cpu: median(ms.map((m) => m.cpu)), rssMiB: Math.max(...ms.map((m) => m.rssKiB)) / 1024, runs: ms.length, failed: ms.filter((m) => !m.ok).length },
  ]),
);

// --- growth: minesweep from the lab hosts to many targets -----------------------
// The same lab hosts listed many times under different names, round-robin, so the
// controller's own cost at scale shows without overloading one sshd.
const scale = [];
for (const n of scaleTargets) {
  const list = Array.from({ length: n }, (_, i) => [`t${String(i).padStart(4, '0')}`, flat[i % flat.length][1]]);
  const f = writeInventory(path.join(work, `inventory-${n}.yml`), list);
  const m = contenders.minesweep(f);
  const p = contenders['parallel-ssh'](f, list);
  scale.push({ targets: n, minesweep: m, parallelSsh: p });
  process.stderr.write(`${n} targets: minesweep ${m.wall.toFixed(2)} s, ${(m.rssKiB / 1024).toFixed(0)} MiB; parallel-ssh ${p.wall.toFixed(2)} s\n`);
}

// --- growth: 10 hosts -> all lab hosts ---------------------------------------------
const growth = [];
for (const n of [10, flat.length].filter((n, i, a) => n <= flat.length && a.indexOf(n) === i)) {
  const f = writeInventory(path.join(work, `inventory-hosts-${n}.yml`), flat.slice(0, n));
  growth.push({ hosts: n, minesweep: contenders.minesweep(f) });
}

if (!opt['keep-lab']) spawnSync('node', [cli, 'lab', 'down', '--dir', opt.dir], { stdio: 'inherit' });

// --- report -------------------------------------------------------------------------
const ms = summary.minesweep;
const rows = Object.entries(summary).map(([name, s]) => [
  name,
  s.wall.toFixed(2),
  (s.wall / ms.wall).toFixed(1) + '×',
  s.cpu.toFixed(2),
  s.rssMiB.toFixed(0),
  `${s.runs - s.failed}/${s.runs}`,
]);
const header = ['contender', 'wall s (median)', 'vs minesweep', 'controller CPU s', 'peak RSS MiB', 'ok runs'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
console.log(`\nminesweep bench: ${flat.length} lab hosts, forks ${forks}, ${reps} interleaved repetitions (lab up took ${labUpSeconds.toFixed(1)} s)\n`);
console.log(line(header));
console.log(line(widths.map((w) => '-'.repeat(w))));
for (const r of rows) console.log(line(r));
const ansibleFast = summary['ansible (pipelining, no facts)'];
const pssh = summary['parallel-ssh'];
console.log(`\naims: ansible-playbook / minesweep = ${(ansibleFast.wall / ms.wall).toFixed(1)}× (aim ≥ 20×); minesweep / parallel-ssh = ${(ms.wall / pssh.wall).toFixed(2)}× (aim ≤ 1.2×)`);
console.log('\ngrowth (minesweep):');
for (const g of growth) console.log(`  ${g.hosts} hosts: ${g.minesweep.wall.toFixed(2)} s, peak RSS ${(g.minesweep.rssKiB / 1024).toFixed(0)} MiB`);
for (const s of scale)
  console.log(`  ${s.targets} targets: ${s.minesweep.wall.toFixed(2)} s, peak RSS ${(s.minesweep.rssKiB / 1024).toFixed(0)} MiB (parallel-ssh ${s.parallelSsh.wall.toFixed(2)} s, ${(s.parallelSsh.rssKiB / 1024).toFixed(0)} MiB)`);

mkdirSync(path.dirname(opt.out), { recursive: true });
writeFileSync(opt.out, JSON.stringify({ at: new Date().toISOString(), hosts: flat.length, forks, reps, labUpSeconds, summary, runs, growth, scale }, null, 2));
console.log(`\nresults: ${opt.out}`);
