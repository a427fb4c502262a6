import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';

// Running the machine's tools for the lab. Arguments go as argv (no shell).

const execFileP = promisify(execFile);

export async function run(cmd: string, args: string[], opts: { input?: string; allowFail?: boolean; timeoutMs?: number } = {}): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    if (opts.input !== undefined) {
      const stdout = execFileSync(cmd, args, { input: opts.input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], timeout: opts.timeoutMs ?? 60_000 });
      return { stdout, stderr: '', code: 0 };
    }
    const r = await execFileP(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, timeout: opts.timeoutMs ?? 60_000 });
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

/** PIDs whose network namespace is `netns` (ip netns pids). */
export async function netnsPids(netns: string): Promise<number[]> {
  const r = await tryRun('ip', ['netns', 'pids', netns]);
  return r.stdout.split(/\s+/).filter(Boolean).map(Number).filter((n) => Number.isInteger(n) && n > 1);
}
