import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { promisify } from 'node:util';

// Running the machine's tools for the lab. Arguments go as argv (no shell).

const execFileP = promisify(execFile);

/** Run a command, its stdin from `input` when given. */
export async function run(cmd: string, args: string[], opts: { input?: string; allowFail?: boolean; timeoutMs?: number } = {}): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const p = execFileP(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, timeout: opts.timeoutMs ?? 60_000 });
    p.child.stdin?.on('error', () => {});
    if (opts.input !== undefined) p.child.stdin?.end(opts.input);
    else p.child.stdin?.end();
    const r = await p;
    return { stdout: r.stdout, stderr: r.stderr, code: 0 };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; code?: number | string };
    const res = { stdout: String(err.stdout ?? ''), stderr: String(err.stderr ?? ''), code: typeof err.code === 'number' ? err.code : 1 };
    if (opts.allowFail) return res;
    throw new Error(`${cmd} ${args.join(' ')} failed (exit ${err.code}): ${res.stderr.trim() || String(e)}`);
  }
}

export function tryRun(cmd: string, args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  return run(cmd, args, { allowFail: true });
}

/** Names of the network namespaces on the machine. */
export async function listNetns(): Promise<string[]> {
  const r = await tryRun('ip', ['netns', 'list']);
  return r.stdout.split('\n').map((l) => l.split(' ')[0]!).filter(Boolean);
}

/** Names of the links in the root network namespace. */
export async function listLinks(): Promise<string[]> {
  const r = await tryRun('ip', ['-o', 'link', 'show']);
  return r.stdout.split('\n').map((l) => /^\d+:\s+([^:@\s]+)/.exec(l)?.[1]).filter((x): x is string => !!x);
}

/** PIDs whose network namespace is `netns`. */
export async function netnsPids(netns: string): Promise<number[]> {
  return (await netnsPidsMap([netns])).get(netns) ?? [];
}

/** PIDs in each named network namespace, in one pass over /proc (what `ip netns pids` does, for many). */
export async function netnsPidsMap(names: string[]): Promise<Map<string, number[]>> {
  const byIno = new Map<string, string>();
  for (const n of names) {
    try {
      byIno.set(`net:[${fs.statSync(`/run/netns/${n}`).ino}]`, n);
    } catch {
      /* gone */
    }
  }
  const out = new Map<string, number[]>(names.map((n) => [n, []]));
  if (!byIno.size) return out;
  for (const e of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    let link: string;
    try {
      link = fs.readlinkSync(`/proc/${e}/ns/net`);
    } catch {
      continue;
    }
    const ns = byIno.get(link);
    if (ns && Number(e) > 1) out.get(ns)!.push(Number(e));
  }
  return out;
}
