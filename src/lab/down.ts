import fs from 'node:fs';
import path from 'node:path';
import { labFiles } from './inventory.js';
import { labNames } from './naming.js';
import { readState, stateFile, type LabState } from './state.js';
import { listLinks, listNetns, netnsPidsMap, run, tryRun } from './system.js';

// `lab down`: remove everything one lab made — by its state file, then by name prefix —
// and nothing of any other lab. Safe to run twice, and after a crash or a half-done `up`.

/** The lab's netns names: recorded ones plus any on the machine with the lab's prefix. */
async function labNetns(dir: string, state: LabState | null): Promise<string[]> {
  const prefix = labNames(dir).netnsPrefix;
  const recorded = (state?.resources ?? []).flatMap((r) => (r.type === 'netns' ? [r.name] : []));
  const present = await listNetns();
  return [...new Set([...recorded.filter((n) => present.includes(n)), ...present.filter((n) => n.startsWith(prefix))])];
}

function readProc(pid: number, file: string): string | null {
  try {
    return fs.readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return null;
  }
}

/** A recorded PID is still ours only if it is still the unshare we started for this lab. */
function recordedPidIsOurs(pid: number, dir: string): boolean {
  const cmd = readProc(pid, 'cmdline');
  return cmd !== null && cmd.includes('unshare') && cmd.includes(path.join(dir, 'bin', 'host-init.sh'));
}

/** Every live process of the lab: all processes in its network namespaces, plus recorded unshare PIDs. */
export async function liveProcesses(state: LabState): Promise<number[]> {
  const pids = new Set<number>();
  for (const list of (await netnsPidsMap(await labNetns(state.dir, state))).values()) for (const p of list) pids.add(p);
  for (const r of state.resources) if (r.type === 'process' && r.role === 'unshare' && recordedPidIsOurs(r.pid, state.dir)) pids.add(r.pid);
  return [...pids];
}

export interface DownReport {
  killed: number;
  netns: string[];
  links: string[];
}

export async function labDown(dirArg: string, log: (line: string) => void = () => {}): Promise<DownReport> {
  const dir = path.resolve(dirArg);
  const names = labNames(dir);
  const state = readState(dir);
  const namespaces = await labNetns(dir, state);
  const pids = new Set<number>();
  for (const list of (await netnsPidsMap(namespaces)).values()) for (const p of list) pids.add(p);
  for (const r of state?.resources ?? []) if (r.type === 'process' && r.role === 'unshare' && recordedPidIsOurs(r.pid, dir)) pids.add(r.pid);
  pids.delete(process.pid);
  pids.delete(1);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  for (let i = 0; i < 100 && [...pids].some((p) => readProc(p, 'stat') !== null && !/\) Z /.test(readProc(p, 'stat') ?? '')); i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  if (namespaces.length) await run('ip', ['-force', '-batch', '-'], { input: namespaces.map((n) => `netns del ${n}\n`).join(''), allowFail: true });
  const recordedLinks = (state?.resources ?? []).flatMap((r) => (r.type === 'link' ? [r.name] : []));
  const links = (await listLinks()).filter((l) => l.startsWith(names.ifacePrefix) || recordedLinks.includes(l));
  // veths die with their namespace; the bridge (and any straggler) is removed here.
  for (const l of links) await tryRun('ip', ['link', 'del', l]);
  // Anything still mounted below the lab directory (nothing should be) is detached.
  const mounts = (fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n').map((l) => l.split(' ')[4]).filter((m): m is string => !!m && (m === dir || m.startsWith(dir + '/'))));
  for (const m of mounts.reverse()) await tryRun('umount', ['-l', m]);
  const files = labFiles(dir);
  for (const sub of ['hosts', 'bin', 'keys']) fs.rmSync(path.join(dir, sub), { recursive: true, force: true });
  for (const f of [...Object.values(files), files.privateKey + '.pub', stateFile(dir)]) fs.rmSync(f, { force: true });
  if (state?.createdDir) {
    try {
      fs.rmdirSync(dir);
    } catch {
      /* not empty: leave the user's files */
    }
  }
  // faults (stopped sshd, DROP rules, netem) lived in the hosts' processes and namespaces: gone with them
  const faults = (state?.resources ?? []).filter((r) => r.type === 'fault').length;
  log(`lab ${names.id}: down (${pids.size} processes killed, ${namespaces.length} namespaces, ${links.length} links removed${faults ? `, ${faults} faults undone with them` : ''})`);
  return { killed: pids.size, netns: namespaces, links };
}
