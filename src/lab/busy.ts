import path from 'node:path';
import { quote } from '../core/quote.js';
import { readState } from './state.js';
import { run } from './system.js';

// A busy lab host: N extra processes shaped like a real server's (idle workers, supervisors
// with their worker, log followers, pipelines), all from the host's own packaged binaries, so
// the probe sees real sizes; and optionally a saturated CPU (one busy loop per CPU at nice 19:
// not miners, they only burn CPU inside the lab host). Everything runs inside the host's
// namespaces, in its own sessions, listed in /run/lab-busy/pgids there; `stopBusy` signals
// exactly those process groups, and `lab down` removes them with the host.

export interface BusyOptions {
  /**
   * extra processes: every group is one shell and the processes it starts, and the last group
   * may go one over (a kind of 2 processes), so the host gets this many or this many + 1 on top
   * of what it had; the busy loops of `saturate` come on top (one per CPU)
   */
  processes: number;
  /** one nice-19 busy loop per CPU */
  saturate?: boolean;
}

const DIR = '/run/lab-busy';

/** The kinds of processes a group's shell starts, each with how many processes it makes. */
const KINDS: Array<{ procs: number; line: (i: number) => string }> = [
  // an idle worker
  { procs: 1, line: () => 'sleep 2147483647 &' },
  // a supervisor shell waiting on its worker, with the long command line services have
  { procs: 2, line: (i) => `sh -c ${quote(`sleep 2147483647; : app-${i} --config /etc/busy/app-${i}.conf --queue jobs-${i % 17} --threads 8 --log-level info`)} &` },
  // a log follower (an open file, inotify)
  { procs: 1, line: (i) => `tail -n 0 -F ${DIR}/log/app-${i % 50}.log &` },
  // a pipeline: a producer and a consumer joined by a pipe
  { procs: 2, line: () => 'sleep 2147483647 | cat &' },
  { procs: 1, line: () => 'sleep 2147483647 &' },
];

/** Processes per group: one session whose shell (like a pre-forking server's master) waits on them. */
const GROUP = 100;

/** The sh script (run inside the host as root) that starts the busy processes and records their groups. */
export function busyScript(opts: BusyOptions): string {
  const lines = [
    'set -u',
    `mkdir -p ${DIR}/log`,
    `for i in $(seq 0 49); do : > ${DIR}/log/app-$i.log; done`,
    `: > ${DIR}/pgids`,
    // one started group: its pid is its process group (setsid in a shell without job control does not fork)
    `g() { setsid "$@" </dev/null >/dev/null 2>&1 & echo $! >> ${DIR}/pgids; }`,
  ];
  let n = 0;
  let i = 0;
  while (n < opts.processes) {
    const body: string[] = [];
    let size = 1;
    for (; size < GROUP && n + size < opts.processes + 1; i++) {
      const kind = KINDS[i % KINDS.length]!;
      body.push(kind.line(i));
      size += kind.procs;
    }
    if (body.length === 0) break;
    lines.push(`g sh -c ${quote(`${body.join('\n')}\nwait`)}`);
    n += size;
  }
  lines.push(`busy_n=${n}`);
  if (opts.saturate) lines.push(`for c in $(seq 1 "$(nproc)"); do g nice -n 19 sh -c 'while :; do :; done'; done`, 'busy_n=$((busy_n + $(nproc)))');
  return lines.join('\n') + '\n';
}

/** The PID (machine namespace) of a lab host's PID 1, from the lab's state file. */
export function hostInitPid(dir: string, host: string): number {
  const state = readState(path.resolve(dir));
  const netns = state?.hosts.find((h) => h.name === host)?.netns;
  const r = state?.resources.find((x) => x.type === 'process' && x.role === 'init' && x.netns === netns);
  if (!r || r.type !== 'process') throw new Error(`lab ${dir}: no host ${JSON.stringify(host)} with a recorded PID 1 (is the lab up?)`);
  return r.pid;
}

function inHost(dir: string, host: string, script: string, timeoutMs = 900_000) {
  return run('nsenter', ['-t', String(hostInitPid(dir, host)), '-a', '--', '/usr/bin/env', '-i', 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', '/bin/sh', '-s'], { input: script, timeoutMs });
}

/** Start the busy processes in one host of a running lab; returns how many processes the host has then. */
export async function startBusy(dir: string, host: string, opts: BusyOptions): Promise<number> {
  await stopBusy(dir, host);
  // the groups start in the background: wait (bounded, polling) until the host has them all
  const r = await inHost(
    dir,
    host,
    'set -- /proc/[0-9]*; busy_base=$#\n' + busyScript(opts) + 'for i in $(seq 1 1500); do set -- /proc/[0-9]*; [ $# -ge $((busy_base + busy_n)) ] && break; sleep 0.2; done\nset -- /proc/[0-9]*; echo $#\n',
  );
  return Number(r.stdout.trim().split('\n').pop()) || 0;
}

/** Stop what startBusy started in that host (only the recorded process groups), and wait until they are gone. */
export async function stopBusy(dir: string, host: string): Promise<void> {
  await inHost(dir, host, [
    `[ -f ${DIR}/pgids ] || exit 0`,
    // wait up to $1 tenths of a second until no recorded group has a member left
    `gone() { for i in $(seq 1 "$1"); do left=; while read -r p; do kill -0 "-$p" 2>/dev/null && left=1 && break; done < ${DIR}/pgids; [ -z "$left" ] && return 0; sleep 0.1; done; }`,
    // dash's kill takes no \`--\`: a negative PID right after the signal is a process group
    `while read -r p; do [ "$p" -gt 1 ] 2>/dev/null || continue; kill -TERM "-$p" 2>/dev/null; done < ${DIR}/pgids`,
    'gone 100',
    `while read -r p; do [ "$p" -gt 1 ] 2>/dev/null || continue; kill -KILL "-$p" 2>/dev/null; done < ${DIR}/pgids`,
    // and until the host's init has reaped them (a zombie still counts in /proc, and kill -0 reaches it):
    // startBusy counts the host's processes after this
    'gone 600',
    `rm -f ${DIR}/pgids`,
  ].join('\n') + '\n');
}
