// The lab for end-to-end tests: one lab at /var/lib/minesweep/lab-test on 198.18.9.0/24
// (hidden hosts behind the bastion on 198.18.109.0/24), brought up on first use and reused
// by every e2e file of a run. Helpers reach into a host without SSH (nsenter into its PID 1).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { labDown as down } from '../../src/lab/down.js';
import { clearFaults, labFault, type FaultKind, type SlowOptions } from '../../src/lab/fault.js';
import { labFiles } from '../../src/lab/inventory.js';
import { readState } from '../../src/lab/state.js';
import { labStatus } from '../../src/lab/status.js';
import { netnsPids } from '../../src/lab/system.js';
import type { GroundTruth, HostTruth } from '../../src/lab/types.js';
import { labUp, waitPort } from '../../src/lab/up.js';
import { DETECTION_SET, FIELD_SCENARIOS } from '../../src/lab/scenarios/index.js';

/** Override with MINESWEEP_LAB_DIR / MINESWEEP_LAB_SUBNET to run e2e files beside someone else's run. */
export const LAB_TEST_DIR = process.env.MINESWEEP_LAB_DIR ?? '/var/lib/minesweep/lab-test';
export const LAB_TEST_SUBNET = process.env.MINESWEEP_LAB_SUBNET ?? '198.18.9.0/24';
/** 11 scenarios (each once) + a second clean host; plus pool and 2 hidden hosts. */
export const LAB_TEST_HOSTS = 12;

/** Why e2e tests cannot run here, or null. Use: describe.skipIf(labSkipReason())(…). */
export function labSkipReason(): string | null {
  if (process.platform !== 'linux') return `lab e2e tests need Linux (this is ${process.platform})`;
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return 'lab e2e tests need root (namespaces, mounts): run them as root';
  return null;
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  code: number;
}

export interface LabHandle {
  dir: string;
  inventoryPath: string;
  knownHostsPath: string;
  privateKeyPath: string;
  /** `ssh -F sshConfigPath h01` works for every host, hidden ones through the bastion */
  sshConfigPath: string;
  groundTruth: GroundTruth;
  host(name: string): HostTruth;
  hostsByScenario(scenario: string): HostTruth[];
  /** PID (in the machine's PID namespace) of the host's PID 1 */
  initPid(name: string): number;
  /** Run `sh -c script` as root inside the host (its mount, PID, UTS and network namespaces), no SSH. */
  exec(name: string, script: string, opts?: { input?: string; timeoutMs?: number }): Promise<ExecResult>;
  /** Stop the host's sshd (the host becomes unreachable), and start it again. */
  stopSshd(name: string): Promise<void>;
  startSshd(name: string): Promise<void>;
  /** Give the host a new host key (sshd reloaded); known_hosts is NOT updated. Returns the new public key line. */
  regenerateHostKey(name: string): Promise<string>;
  /** Inject a fault (`minesweep lab fault`): stop/cont sshd, drop/undrop all traffic, kill-sshd, slow, clear; returns what was done. */
  fault(name: string, kind: FaultKind, slow?: SlowOptions): Promise<string>;
  /** Undo every recorded fault (of one host, or of the whole lab). */
  clearFaults(name?: string): Promise<string>;
  /** Resolve once the host runs a command for an SSH session (a probe, a step): a child of an sshd session. False after timeoutMs. */
  waitForCommand(name: string, timeoutMs?: number): Promise<boolean>;
  /** Bring the lab down and up again: every host back to its planted scenario. */
  reset(): Promise<LabHandle>;
}

function sh(cmd: string, args: string[], input?: string, timeoutMs = 120_000): Promise<ExecResult> {
  return new Promise((resolve) => {
    const child = execFile(cmd, args, { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ stdout, stderr, code });
    });
    if (input !== undefined) child.stdin?.end(input);
    else child.stdin?.end();
  });
}

function handle(dir: string): LabHandle {
  const files = labFiles(dir);
  const groundTruth = JSON.parse(fs.readFileSync(files.groundTruth, 'utf8')) as GroundTruth;
  const state = readState(dir);
  const byName = (name: string): HostTruth => {
    const h = groundTruth.hosts.find((x) => x.name === name);
    if (!h) throw new Error(`lab ${dir}: no host ${name} (hosts: ${groundTruth.hosts.map((x) => x.name).join(', ')})`);
    return h;
  };
  const initPid = (name: string): number => {
    const netns = state?.hosts.find((h) => h.name === name)?.netns;
    const r = state?.resources.find((x) => x.type === 'process' && x.role === 'init' && x.netns === netns);
    if (!r || r.type !== 'process') throw new Error(`lab ${dir}: no recorded PID 1 for host ${name}`);
    return r.pid;
  };
  const exec = (name: string, script: string, opts: { input?: string; timeoutMs?: number } = {}): Promise<ExecResult> =>
    sh('nsenter', ['-t', String(initPid(name)), '-a', '--', '/usr/bin/env', '-i', 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'HOME=/root', '/bin/sh', '-c', script], opts.input, opts.timeoutMs);
  const must = async (name: string, script: string): Promise<string> => {
    const r = await exec(name, script);
    if (r.code !== 0) throw new Error(`lab host ${name}: \`${script}\` failed (${r.code}): ${r.stderr}`);
    return r.stdout;
  };
  const self: LabHandle = {
    dir,
    inventoryPath: files.inventory,
    knownHostsPath: files.knownHosts,
    privateKeyPath: files.privateKey,
    sshConfigPath: files.sshConfig,
    groundTruth,
    host: byName,
    hostsByScenario: (s) => groundTruth.hosts.filter((h) => h.scenario === s),
    initPid,
    exec,
    async stopSshd(name) {
      // Kill the listener and every session: the host stops answering on port 22.
      await must(name, 'kill $(cat /run/sshd.pid) 2>/dev/null; pkill -KILL -x sshd; for i in 1 2 3 4 5 6 7 8 9 10; do pgrep -x sshd >/dev/null || exit 0; sleep 0.1; done; exit 1');
    },
    async startSshd(name) {
      await must(name, 'pgrep -x sshd >/dev/null || /usr/sbin/sshd </dev/null >/dev/null 2>&1');
      const h = byName(name);
      if (!h.hidden) await waitPort(h.address, 22, 10_000);
    },
    async regenerateHostKey(name) {
      const out = await must(name, [
        'rm -f /etc/ssh/ssh_host_ed25519_key /etc/ssh/ssh_host_ed25519_key.pub',
        `ssh-keygen -q -t ed25519 -N '' -C root@${name} -f /etc/ssh/ssh_host_ed25519_key`,
        'kill -HUP $(cat /run/sshd.pid)',
        'cat /etc/ssh/ssh_host_ed25519_key.pub',
      ].join(' && '));
      await new Promise((r) => setTimeout(r, 300));
      return out.trim();
    },
    fault: (name, kind, slow) => labFault(dir, name, kind, slow),
    async waitForCommand(name, timeoutMs = 120_000) {
      const netns = state?.hosts.find((h) => h.name === name)?.netns;
      if (!netns) throw new Error(`lab ${dir}: no host ${name}`);
      const end = Date.now() + timeoutMs;
      const stat = (pid: number): { comm: string; ppid: number } | null => {
        try {
          const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
          const close = s.lastIndexOf(')');
          return { comm: s.slice(s.indexOf('(') + 1, close), ppid: Number(s.slice(close + 2).split(' ')[1]) };
        } catch {
          return null;
        }
      };
      while (Date.now() < end) {
        for (const pid of await netnsPids(netns)) {
          const p = stat(pid);
          if (p && !/^sshd/.test(p.comm) && /^sshd/.test(stat(p.ppid)?.comm ?? '')) return true;
        }
        await new Promise((r) => setTimeout(r, 25));
      }
      return false;
    },
    async clearFaults(name) {
      const s = readState(dir);
      return s ? clearFaults(s, name) : 'no lab';
    },
    async reset() {
      await labDown();
      return getLab();
    },
  };
  return self;
}

let pending: Promise<LabHandle> | null = null;

/** The shared e2e lab: reused when it is already up, else (re)built. */
export function getLab(): Promise<LabHandle> {
  pending ??= (async () => {
    const skip = labSkipReason();
    if (skip) throw new Error(skip);
    const status = await labStatus(LAB_TEST_DIR);
    // reused only when it is the standard lab (e2e 12 brings the detection set up in the same place)
    if (status?.up && fs.existsSync(path.join(LAB_TEST_DIR, 'ground-truth.json')) && !isDetectionLab()) return handle(LAB_TEST_DIR);
    if (status?.up) await down(LAB_TEST_DIR);
    await labUp({ dir: LAB_TEST_DIR, subnet: LAB_TEST_SUBNET, hosts: LAB_TEST_HOSTS, bastion: true, hiddenHosts: 2 });
    return handle(LAB_TEST_DIR);
  })();
  const p = pending;
  p.catch(() => { if (pending === p) pending = null; });
  return p;
}

function isDetectionLab(): boolean {
  const t = JSON.parse(fs.readFileSync(path.join(LAB_TEST_DIR, 'ground-truth.json'), 'utf8')) as GroundTruth;
  return t.hosts.some((h) => FIELD_SCENARIOS.some((s) => s.name === h.scenario));
}

/** The shared lab rebuilt with the detection set (field scenarios, production hosts, a clean host); getLab rebuilds the standard one after it. */
export async function getDetectionLab(): Promise<LabHandle> {
  const skip = labSkipReason();
  if (skip) throw new Error(skip);
  pending = null;
  await down(LAB_TEST_DIR);
  await labUp({ dir: LAB_TEST_DIR, subnet: LAB_TEST_SUBNET, hosts: DETECTION_SET.length, bastion: false, hiddenHosts: 0, scenarios: DETECTION_SET });
  return handle(LAB_TEST_DIR);
}

/** Bring the shared e2e lab down (also what getLab's reset does). */
export async function labDown(): Promise<void> {
  pending = null;
  await down(LAB_TEST_DIR);
}
