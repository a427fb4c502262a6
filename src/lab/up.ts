import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { packageRoot } from '../core/paths.js';
import { controllerAddress, formatSubnet, parseSubnet } from './addressing.js';
import { groundTruth, inventoryYaml, knownHosts, labFiles, sshConfig } from './inventory.js';
import { planLab, type HostPlan, type LabPlan } from './plan.js';
import { preflight } from './preflight.js';
import { FAMILIES } from './scenarios/index.js';
import type { LabKey } from './scenarios/types.js';
import { CONTROLLER_KEY_COMMENT, setupScript } from './setup-script.js';
import { readState, record, writeState, type LabState } from './state.js';
import { labDown, liveProcesses } from './down.js';
import { run, tryRun } from './system.js';
import type { GroundTruth, LabOptions } from './types.js';

export const assetsDir = path.join(packageRoot, 'src', 'lab', 'assets');
export const DEFAULT_DIR = '/var/lib/minesweep/lab';
export const DEFAULT_SUBNET = '198.18.0.0/24';

type Log = (line: string) => void;

async function keygen(file: string, comment: string): Promise<LabKey> {
  fs.rmSync(file, { force: true });
  fs.rmSync(file + '.pub', { force: true });
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file]);
  const pub = fs.readFileSync(file + '.pub', 'utf8').trim().split(' ');
  const fp = (await run('ssh-keygen', ['-l', '-f', file + '.pub'])).stdout.split(' ')[1] ?? '';
  return { publicKey: `${pub[0]} ${pub[1]}`, fingerprint: fp };
}

/** Compile the fake miner and the no-op preload library; one tagged copy per family. */
async function buildBinaries(binDir: string): Promise<Map<string, string>> {
  fs.mkdirSync(binDir, { recursive: true });
  const miner = path.join(binDir, 'miner');
  await run('cc', ['-O2', '-s', '-o', miner, path.join(assetsDir, 'miner.c')]);
  await run('cc', ['-O2', '-s', '-shared', '-fPIC', '-o', path.join(binDir, 'libsystem.so'), path.join(assetsDir, 'noop-preload.c')]);
  const base = fs.readFileSync(miner);
  const hashes = new Map<string, string>();
  for (const family of FAMILIES) {
    const bytes = Buffer.concat([base, Buffer.from(`\nminesweep-lab-family:${family}\n`)]);
    fs.writeFileSync(path.join(binDir, family), bytes, { mode: 0o755 });
    hashes.set(family, createHash('sha256').update(bytes).digest('hex'));
  }
  return hashes;
}

async function subnetInUse(address: string): Promise<string | null> {
  const r = await tryRun('ip', ['-o', '-4', 'addr', 'show']);
  const line = r.stdout.split('\n').find((l) => l.includes(` ${address}/`));
  return line ? (line.split(/\s+/)[1] ?? '?') : null;
}

function prepareHostDir(dir: string, lab: LabPlan, host: HostPlan, script: string, www: Map<string, string>): string {
  const hostDir = path.join(dir, 'hosts', host.name);
  fs.mkdirSync(path.join(hostDir, 'mnt'), { recursive: true });
  fs.mkdirSync(path.join(hostDir, 'bin'), { recursive: true });
  for (const b of host.plan?.binaries ?? []) fs.copyFileSync(path.join(dir, 'bin', b), path.join(hostDir, 'bin', b));
  if (host.role === 'pool') {
    for (const [rel, content] of www) {
      const f = path.join(hostDir, 'www', rel);
      fs.mkdirSync(path.dirname(f), { recursive: true });
      fs.writeFileSync(f, content);
    }
    fs.mkdirSync(path.join(hostDir, 'www', 'bin'), { recursive: true });
    for (const family of FAMILIES) fs.copyFileSync(path.join(dir, 'bin', family), path.join(hostDir, 'www', 'bin', family));
    fs.copyFileSync(path.join(assetsDir, 'pool-server.mjs'), path.join(hostDir, 'pool-server.mjs'));
  }
  fs.writeFileSync(path.join(hostDir, 'setup.sh'), script);
  fs.rmSync(path.join(hostDir, 'status'), { force: true });
  void lab;
  return hostDir;
}

/** Network in few spawns: one `ip -batch` in the root namespace, then one per host namespace. */
async function createNetwork(state: LabState, lab: LabPlan): Promise<void> {
  const br = lab.names.bridge;
  const bastion = lab.hosts.find((h) => h.name === lab.bastion);
  // Recorded before anything exists, so `lab down` can clean up a half-built network.
  state.resources.push({ type: 'link', name: br });
  for (const h of lab.hosts) {
    state.resources.push({ type: 'netns', name: h.netns });
    if (h.role !== 'hidden') state.resources.push({ type: 'link', name: h.veth });
  }
  writeState(state);
  const root = [`link add ${br} type bridge`, `addr add ${lab.controller}/24 dev ${br}`, `link set ${br} up`];
  for (const h of lab.hosts) root.push(`netns add ${h.netns}`);
  const inNs = new Map<string, string[]>(lab.hosts.map((h) => [h.netns, ['link set lo up', `link set ${h.peer} name eth0`, `addr add ${h.address}/24 dev eth0`, 'link set eth0 up']]));
  for (const h of lab.hosts) {
    if (h.bastionAddress) inNs.get(h.netns)!.push('link add hbr0 type bridge', `addr add ${h.bastionAddress}/24 dev hbr0`, 'link set hbr0 up');
  }
  for (const h of lab.hosts) {
    if (h.role === 'hidden' && bastion) {
      root.push(`link add ${h.veth} netns ${bastion.netns} type veth peer name ${h.peer} netns ${h.netns}`);
      inNs.get(bastion.netns)!.push(`link set ${h.veth} master hbr0 up`);
    } else {
      root.push(`link add ${h.veth} type veth peer name ${h.peer} netns ${h.netns}`, `link set ${h.veth} master ${br} up`);
    }
  }
  await run('ip', ['-batch', '-'], { input: root.join('\n') + '\n' });
  await Promise.all([...inNs].map(([ns, cmds]) => run('ip', ['-n', ns, '-batch', '-'], { input: cmds.join('\n') + '\n' })));
}

async function childOf(pid: number): Promise<number | null> {
  for (let i = 0; i < 100; i++) {
    try {
      const c = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number)[0];
      if (c) return c;
    } catch {
      return null;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return null;
}

/** Start the host's PID 1 (host-init.sh) in its netns and fresh mount/PID/UTS namespaces. */
async function startHost(state: LabState, dir: string, host: HostPlan): Promise<void> {
  const hostDir = path.join(dir, 'hosts', host.name);
  const log = fs.openSync(path.join(hostDir, 'init.log'), 'w');
  const child = spawn('ip', ['netns', 'exec', host.netns, 'unshare', '--mount', '--pid', '--uts', '--fork', '--propagation', 'private', '--kill-child',
    '/bin/sh', path.join(dir, 'bin', 'host-init.sh'), hostDir, dir, packageRoot], { detached: true, stdio: ['ignore', log, log] });
  fs.closeSync(log);
  child.unref();
  if (!child.pid) throw new Error(`lab host ${host.name}: could not start ip netns exec … unshare`);
  record(state, { type: 'process', pid: child.pid, netns: host.netns, role: 'unshare' });
  const init = await childOf(child.pid);
  if (init) record(state, { type: 'process', pid: init, netns: host.netns, role: 'init' });
}

async function waitReady(dir: string, hosts: HostPlan[], timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  const pending = new Set(hosts.map((h) => h.name));
  while (pending.size && Date.now() < end) {
    for (const name of [...pending]) {
      let status = '';
      try {
        status = fs.readFileSync(path.join(dir, 'hosts', name, 'status'), 'utf8').trim();
      } catch {
        continue;
      }
      if (status === 'failed') {
        const log = fs.readFileSync(path.join(dir, 'hosts', name, 'setup.log'), 'utf8').split('\n').slice(-15).join('\n');
        throw new Error(`lab host ${name}: setup failed (log ${path.join(dir, 'hosts', name, 'setup.log')}):\n${log}`);
      }
      pending.delete(name);
    }
    if (pending.size) await new Promise((r) => setTimeout(r, 100));
  }
  if (pending.size) {
    const name = [...pending][0]!;
    let log = '';
    try { log = fs.readFileSync(path.join(dir, 'hosts', name, 'init.log'), 'utf8'); } catch { /* none */ }
    throw new Error(`lab hosts not ready after ${timeoutMs / 1000}s: ${[...pending].join(', ')}; ${name}'s init.log: ${log.trim().slice(-800)}`);
  }
}

/** Resolve when address:port accepts a TCP connection, or fail after timeoutMs. */
export function waitPort(address: string, port: number, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = (): void => {
      const s = net.connect({ host: address, port, timeout: 1000 });
      s.once('connect', () => { s.destroy(); resolve(); });
      const retry = (): void => {
        s.destroy();
        if (Date.now() > end) reject(new Error(`lab: ${address}:${port} does not accept connections after ${timeoutMs / 1000}s`));
        else setTimeout(attempt, 100);
      };
      s.once('error', retry);
      s.once('timeout', retry);
    };
    attempt();
  });
}

/** `minesweep lab up`: build the lab in opts.dir; returns its ground truth. */
export async function labUp(opts: LabOptions, log: Log = () => {}): Promise<GroundTruth> {
  preflight();
  try {
    return await build(opts, log);
  } catch (e) {
    const dir = path.resolve(opts.dir);
    const msg = e instanceof Error ? e.message : String(e);
    if (!fs.existsSync(path.join(dir, 'lab-state.json')) || msg.includes('already up')) throw e;
    throw new Error(`${msg}\n(what was built is recorded in ${dir}/lab-state.json; logs in ${dir}/hosts/*/; remove it all with \`minesweep lab down --dir ${dir}\`)`);
  }
}

async function build(opts: LabOptions, log: Log): Promise<GroundTruth> {
  const dir = path.resolve(opts.dir);
  const started = Date.now();
  const previous = readState(dir);
  if (previous) {
    if ((await liveProcesses(previous)).length) throw new Error(`lab at ${dir} is already up (see \`minesweep lab status --dir ${dir}\`); bring it down first with \`minesweep lab down --dir ${dir}\``);
    log(`lab: cleaning up what a previous lab left in ${dir}`);
    await labDown(dir);
  }
  const ctrl = controllerAddress(parseSubnet(opts.subnet));
  const owner = await subnetInUse(ctrl);
  if (owner) throw new Error(`lab: subnet ${opts.subnet} is in use (${ctrl} is on ${owner}); pick another --subnet or bring that lab down`);

  const createdDir = !fs.existsSync(dir);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (const sub of ['hosts', 'bin', 'keys']) fs.rmSync(path.join(dir, sub), { recursive: true, force: true });
  const files = labFiles(dir);
  for (const f of Object.values(files)) fs.rmSync(f, { force: true });

  const hashes = await buildBinaries(path.join(dir, 'bin'));
  fs.copyFileSync(path.join(assetsDir, 'host-init.sh'), path.join(dir, 'bin', 'host-init.sh'));
  const controllerKey = await keygen(files.privateKey, CONTROLLER_KEY_COMMENT);
  fs.mkdirSync(path.join(dir, 'keys'), { recursive: true });
  const rogue: Record<string, LabKey> = {};
  for (const k of ['outlaw', 'cleanfda', 'hostile', 'diicot', 'teamtnt', 'p2pinfect', 'xanthe', 'backup']) rogue[k] = await keygen(path.join(dir, 'keys', k), `rogue-${k}`);

  const lab = planLab({ ...opts, dir }, { sha256: (f) => hashes.get(f) ?? '', keys: rogue });
  const state: LabState = {
    version: 1, dir, id: lab.names.id, subnet: formatSubnet(lab.subnet), createdDir, startedAt: new Date().toISOString(), resources: [],
    hosts: lab.hosts.map((h) => ({ name: h.name, address: h.address, netns: h.netns, role: h.role })),
  };
  writeState(state);

  const opsPassword = randomBytes(9).toString('base64url');
  const www = new Map<string, string>();
  for (const h of lab.hosts) for (const [k, v] of Object.entries(h.plan?.www ?? {})) www.set(k, v);
  const hostKeys = new Map<string, string>();
  await Promise.all(lab.hosts.map(async (h) => {
    const hostDir = prepareHostDir(dir, lab, h, setupScript(lab, h, { controllerKey: controllerKey.publicKey, opsPassword, node: process.execPath }), www);
    const k = await keygen(path.join(hostDir, 'ssh_host_ed25519_key'), `root@${h.name}`);
    hostKeys.set(h.name, k.publicKey);
  }));
  log(`lab ${lab.names.id}: ${lab.hosts.length} hosts planned in ${Date.now() - started} ms`);

  await createNetwork(state, lab);
  log(`lab ${lab.names.id}: network up (${lab.names.bridge}, ${formatSubnet(lab.subnet)}) at ${Date.now() - started} ms`);

  const pool = lab.hosts.find((h) => h.role === 'pool')!;
  await startHost(state, dir, pool);
  // generous bounds: a loaded 2-core machine (other labs beside this one) may take minutes
  await waitReady(dir, [pool], 120_000);
  await waitPort(pool.address, 8080, 60_000);
  await Promise.all(lab.hosts.filter((h) => h !== pool).map((h) => startHost(state, dir, h)));
  await waitReady(dir, lab.hosts, 180_000 + lab.hosts.length * 5000);
  await Promise.all(lab.hosts.filter((h) => h.role !== 'hidden').map((h) => waitPort(h.address, 22, 60_000)));

  fs.writeFileSync(files.knownHosts, knownHosts(lab, hostKeys));
  fs.writeFileSync(files.inventory, inventoryYaml(lab, files));
  fs.writeFileSync(files.sshConfig, sshConfig(lab, files));
  const truth = groundTruth(lab, files, opsPassword, new Date());
  fs.writeFileSync(files.groundTruth, JSON.stringify(truth, null, 2) + '\n', { mode: 0o600 });
  log(`lab ${lab.names.id}: ${lab.hosts.length} hosts up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return truth;
}
