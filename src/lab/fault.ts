import fs from 'node:fs';
import path from 'node:path';
import { findTool } from './preflight.js';
import { readState, writeState, type LabState, type Resource } from './state.js';
import { netnsPids, run } from './system.js';

// `minesweep lab fault HOST KIND`: what a real fleet does to a run, on a lab host.
//   stop / cont        SIGSTOP / SIGCONT the host's sshd: its listener and every session
//   drop / undrop      iptables DROP of every packet in and out of the host's namespace
//                      (inserted first in INPUT and OUTPUT, removed by the exact same rule)
//   kill-sshd          SIGKILL the host's sshd (listener and sessions): connections reset
//   slow               tc netem delay/loss on the host's interface (needs iproute2's tc and
//                      the kernel's sch_netem; refused, nothing changed, without them)
//   clear              undo every fault on the host (cont, undrop, unslow, sshd started again)
// Each fault is recorded in the lab's state before it is made, so `lab down` undoes all.

export const FAULT_KINDS = ['stop', 'cont', 'drop', 'undrop', 'kill-sshd', 'slow', 'clear'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface SlowOptions {
  /** netem delay, e.g. "300ms" */
  delay?: string;
  /** netem loss, e.g. "5%" */
  loss?: string;
}

const SSHD = /^sshd(-session|-auth)?$/;
const RULE_COMMENT = (id: string) => `minesweep-lab-fault-${id}`;
/** The DROP rule for one chain, exactly as it is inserted and deleted. */
const dropRule = (chain: 'INPUT' | 'OUTPUT', id: string) => [chain, '-m', 'comment', '--comment', RULE_COMMENT(id), '-j', 'DROP'];

function comm(pid: number): string | null {
  try {
    return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return null;
  }
}

function cmdline(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

/** PIDs of the host's sshd processes (listener and sessions), found through its network namespace. */
async function sshdPids(netns: string): Promise<number[]> {
  return (await netnsPids(netns)).filter((p) => SSHD.test(comm(p) ?? ''));
}

function hostOf(state: LabState, name: string): { name: string; netns: string; address: string } {
  const h = state.hosts.find((x) => x.name === name);
  if (!h) throw new Error(`lab ${state.dir}: no host ${name} (hosts: ${state.hosts.map((x) => x.name).join(', ')})`);
  return h;
}

function faultsOf(state: LabState, host: string): Extract<Resource, { type: 'fault' }>[] {
  return state.resources.filter((r): r is Extract<Resource, { type: 'fault' }> => r.type === 'fault' && r.host === host);
}

function forget(state: LabState, keep: (r: Resource) => boolean): void {
  state.resources = state.resources.filter(keep);
  writeState(state);
}

async function signal(pids: number[], sig: NodeJS.Signals): Promise<void> {
  for (const p of pids) {
    try {
      process.kill(p, sig);
    } catch {
      /* gone */
    }
  }
}

async function iptables(netns: string, op: '-I' | '-D', rule: string[]): Promise<{ code: number; stderr: string }> {
  const args = ['netns', 'exec', netns, 'iptables', '-w', op, rule[0]!, ...(op === '-I' ? ['1'] : []), ...rule.slice(1)];
  return run('ip', args, { allowFail: true });
}

/** Make (or undo) one fault on one lab host; returns a line saying what was done. */
export async function labFault(dirArg: string, host: string, kind: FaultKind, slow: SlowOptions = {}): Promise<string> {
  const dir = path.resolve(dirArg);
  const state = readState(dir);
  if (!state) throw new Error(`no lab in ${dir} (bring one up with \`minesweep lab up --dir ${dir}\`)`);
  const h = hostOf(state, host);
  const mine = faultsOf(state, host);
  switch (kind) {
    case 'stop': {
      const pids = await sshdPids(h.netns);
      if (!pids.length) throw new Error(`lab host ${host}: no sshd is running`);
      state.resources.push({ type: 'fault', host, kind: 'stop', pids });
      writeState(state);
      await signal(pids, 'SIGSTOP');
      return `${host}: sshd stopped (SIGSTOP to ${pids.join(', ')})`;
    }
    case 'cont': {
      const recorded = mine.flatMap((f) => (f.kind === 'stop' ? (f.pids ?? []) : []));
      // only PIDs that are still an sshd of this host (a PID may have been reused)
      const live = new Set(await sshdPids(h.netns));
      const pids = [...new Set(recorded)].filter((p) => live.has(p));
      await signal(pids, 'SIGCONT');
      forget(state, (r) => !(r.type === 'fault' && r.host === host && r.kind === 'stop'));
      return `${host}: sshd continued (SIGCONT to ${pids.join(', ') || 'nothing'})`;
    }
    case 'drop': {
      if (mine.some((f) => f.kind === 'drop')) return `${host}: already dropping`;
      state.resources.push({ type: 'fault', host, kind: 'drop', rule: state.id });
      writeState(state);
      for (const chain of ['INPUT', 'OUTPUT'] as const) {
        const r = await iptables(h.netns, '-I', dropRule(chain, state.id));
        if (r.code !== 0) throw new Error(`lab host ${host}: iptables -I ${chain} failed: ${r.stderr.trim()}`);
      }
      return `${host}: every packet in and out dropped (iptables -I INPUT/OUTPUT 1 -j DROP, comment ${RULE_COMMENT(state.id)})`;
    }
    case 'undrop': {
      for (const chain of ['INPUT', 'OUTPUT'] as const) {
        // delete every copy of exactly this rule (a repeated drop, a half-done one)
        for (let i = 0; i < 10 && (await iptables(h.netns, '-D', dropRule(chain, state.id))).code === 0; i++);
      }
      forget(state, (r) => !(r.type === 'fault' && r.host === host && r.kind === 'drop'));
      return `${host}: packets flow again`;
    }
    case 'kill-sshd': {
      const pids = await sshdPids(h.netns);
      state.resources.push({ type: 'fault', host, kind: 'kill-sshd' });
      writeState(state);
      await signal(pids, 'SIGKILL');
      return `${host}: sshd killed (SIGKILL to ${pids.join(', ') || 'nothing'})`;
    }
    case 'slow': {
      if (!findTool('tc')) throw new Error(`lab host ${host}: slow needs tc (apt-get install iproute2); nothing changed`);
      const netem = ['delay', slow.delay ?? '300ms', ...(slow.loss ? ['loss', slow.loss] : [])];
      state.resources.push({ type: 'fault', host, kind: 'slow' });
      writeState(state);
      const r = await run('ip', ['netns', 'exec', h.netns, 'tc', 'qdisc', 'replace', 'dev', 'eth0', 'root', 'netem', ...netem], { allowFail: true });
      if (r.code !== 0) {
        forget(state, (x) => !(x.type === 'fault' && x.host === host && x.kind === 'slow'));
        const why = /qdisc kind is unknown/i.test(r.stderr) ? "this kernel has no netem (module sch_netem: modprobe sch_netem, or install the kernel's extra modules)" : r.stderr.trim();
        throw new Error(`lab host ${host}: slow needs tc netem: ${why}; nothing changed`);
      }
      return `${host}: eth0 slowed (netem ${netem.join(' ')})`;
    }
    case 'clear':
      return clearFaults(state, host);
  }
}

/** Undo every fault recorded for `host` (all hosts when undefined). */
export async function clearFaults(state: LabState, host?: string): Promise<string> {
  const done: string[] = [];
  for (const name of [...new Set(state.resources.flatMap((r) => (r.type === 'fault' && (host === undefined || r.host === host) ? [r.host] : [])))]) {
    const h = hostOf(state, name);
    const kinds = new Set(faultsOf(state, name).map((f) => f.kind));
    if (kinds.has('stop')) done.push(await labFault(state.dir, name, 'cont'));
    if (kinds.has('drop')) done.push(await labFault(state.dir, name, 'undrop'));
    if (kinds.has('slow')) {
      await run('ip', ['netns', 'exec', h.netns, 'tc', 'qdisc', 'del', 'dev', 'eth0', 'root'], { allowFail: true });
      done.push(`${name}: eth0 at full speed again`);
    }
    if ((kinds.has('kill-sshd') || kinds.has('stop')) && !(await sshdPids(h.netns)).some((p) => /listener/.test(cmdline(p))))
      done.push(`${name}: ${await restartSshd(state, name)}`);
    const fresh = readState(state.dir)!;
    forget(fresh, (r) => !(r.type === 'fault' && r.host === name));
    state.resources = fresh.resources;
  }
  return done.join('\n') || `${host ?? 'lab'}: no fault to undo`;
}

/** Start sshd again inside the host (its PID 1's namespaces), as the lab's setup does. */
async function restartSshd(state: LabState, name: string): Promise<string> {
  const netns = hostOf(state, name).netns;
  const init = state.resources.find((r) => r.type === 'process' && r.role === 'init' && r.netns === netns);
  if (!init || init.type !== 'process') return 'sshd not restarted (no recorded PID 1)';
  const env = ['/usr/bin/env', '-i', 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'];
  const r = await run('nsenter', ['-t', String(init.pid), '-a', '--', ...env, '/bin/sh', '-c', '/usr/sbin/sshd </dev/null >/dev/null 2>&1'], { allowFail: true });
  return r.code === 0 ? 'sshd started again' : `sshd did not start again (exit ${r.code})`;
}
