import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { readState } from './state.js';
import { listNetns, netnsPidsMap } from './system.js';

export interface HostStatusLine {
  name: string;
  address: string;
  role: string;
  netns: boolean;
  processes: number;
  ssh: boolean | null;
  setup: string;
}

function portOpen(host: string, port: number, timeoutMs = 2000): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port, timeout: timeoutMs });
    s.once('connect', () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
    s.once('timeout', () => { s.destroy(); resolve(false); });
  });
}

/** Per host: namespace present, process count, SSH port answering (not checked for hidden hosts). */
export async function labStatus(dirArg: string): Promise<{ dir: string; up: boolean; hosts: HostStatusLine[] } | null> {
  const dir = path.resolve(dirArg);
  const state = readState(dir);
  if (!state) return null;
  const present = await listNetns();
  const pids = await netnsPidsMap(state.hosts.map((h) => h.netns));
  const hosts = await Promise.all(state.hosts.map(async (h) => {
    const has = present.includes(h.netns);
    let setup = 'pending';
    try { setup = fs.readFileSync(path.join(dir, 'hosts', h.name, 'status'), 'utf8').trim(); } catch { /* none */ }
    return {
      name: h.name, address: h.address, role: h.role, netns: has, setup,
      processes: pids.get(h.netns)?.length ?? 0,
      ssh: h.role === 'hidden' ? null : has ? await portOpen(h.address, 22) : false,
    };
  }));
  return { dir, up: hosts.every((h) => h.netns && h.processes > 0 && h.ssh !== false), hosts };
}
