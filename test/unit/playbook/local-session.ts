import { spawn } from 'node:child_process';
import type { Target } from '../../../src/inventory/types.js';
import type { ExecOptions, ExecResult, Session } from '../../../src/transport/types.js';

// A Session that runs commands in a local `sh -c` (a real shell, no SSH): the executor
// tests run playbooks against a temporary directory with it. `log` records every command.

export function localTarget(name = 'local', groups: string[] = ['all'], vars: Record<string, unknown> = {}): Target {
  return { name, address: '127.0.0.1', port: 22, user: 'root', groups, vars, become: false, becomeUser: 'root', hostKeyChecking: 'off' };
}

export class LocalSession implements Session {
  readonly log: string[] = [];
  constructor(readonly target: Target = localTarget()) {}
  async controller() {
    return { address: '127.0.0.1', port: 40000, sshPort: 22 };
  }
  exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    this.log.push(command);
    const t0 = Date.now();
    return new Promise((resolve, reject) => {
      const p = spawn('sh', ['-c', command], { stdio: ['pipe', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      p.stdout.on('data', (b: Buffer) => out.push(b));
      p.stderr.on('data', (b: Buffer) => err.push(b));
      p.on('error', reject);
      p.on('close', (code, signal) => resolve({ code, ...(signal ? { signal } : {}), stdout: Buffer.concat(out), stderr: Buffer.concat(err), durationMs: Date.now() - t0, timedOut: false }));
      p.stdin.on('error', () => {});
      p.stdin.end(opts.stdin ?? '');
    });
  }
  async put(): Promise<void> {
    throw new Error('not used');
  }
  async close(): Promise<void> {}
}
