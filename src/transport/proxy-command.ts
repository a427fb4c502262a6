import { spawn, type ChildProcess } from 'node:child_process';
import { Duplex } from 'node:stream';

// ProxyCommand as OpenSSH runs it: `$SHELL -c "exec COMMAND"` (tokens already expanded and
// their values shell-quoted by target.ts), whose stdin/stdout become the SSH connection.
// The child is stopped by its PID when the connection ends (SIGTERM, SIGKILL after a grace),
// and every child still running when the run ends is stopped too. Its stderr is kept (the
// last 2 KiB) to explain a failed connection.

const live = new Set<ChildProcess>();
const KILL_GRACE_MS = 2_000;

function stop(child: ChildProcess): void {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
  try {
    process.kill(child.pid, 'SIGTERM');
  } catch {
    return;
  }
  const t = setTimeout(() => {
    if (child.exitCode === null && child.signalCode === null && child.pid) {
      try {
        process.kill(child.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
  }, KILL_GRACE_MS);
  t.unref();
}

/** The connection's socket: a Duplex over the command's stdout (read) and stdin (write). */
export class ProxyCommandSocket extends Duplex {
  readonly child: ChildProcess;
  private stderrTail = '';
  private stopped = false;

  constructor(readonly command: string, env: NodeJS.ProcessEnv = process.env) {
    super();
    const shell = env['SHELL'] || '/bin/sh';
    this.child = spawn(shell, ['-c', `exec ${command}`], { stdio: ['pipe', 'pipe', 'pipe'], env });
    live.add(this.child);
    const c = this.child;
    c.stdout!.on('data', (d: Buffer) => {
      if (!this.push(d)) c.stdout!.pause();
    });
    // EOF is passed on at 'close' (after the exit status is known), so a failing command is an error
    c.stderr!.on('data', (d: Buffer) => {
      this.stderrTail = (this.stderrTail + d.toString('utf8')).slice(-2048);
    });
    c.stdin!.on('error', () => undefined);
    c.on('error', (e) => this.destroy(e));
    c.on('close', (code, signal) => {
      live.delete(c);
      if (code !== 0 && !this.stopped) {
        const why = this.stderr();
        this.destroy(new Error(`ProxyCommand \`${this.command}\` exited with ${code === null ? `signal ${signal}` : `status ${code}`}${why ? `: ${why}` : ''}`));
      } else this.push(null);
    });
  }

  /** What the command wrote on stderr (last lines), for the failure reason. */
  stderr(): string {
    return this.stderrTail.trim().split('\n').slice(-3).join(' | ');
  }

  override _read(): void {
    this.child.stdout?.resume();
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    if (!this.child.stdin || this.child.stdin.destroyed) return cb(new Error(`ProxyCommand exited: ${this.stderr() || this.command}`));
    this.child.stdin.write(chunk, cb);
  }

  override _final(cb: (e?: Error | null) => void): void {
    // the connection is over: the command gets EOF, and is stopped if it lingers
    this.child.stdin?.end();
    this.stopped = true;
    setTimeout(() => stop(this.child), 500).unref();
    cb();
  }

  override _destroy(err: Error | null, cb: (e?: Error | null) => void): void {
    this.stopped = true;
    stop(this.child);
    cb(err);
  }

  /** ssh2 calls these on real sockets; a pipe has nothing to set. */
  setNoDelay(): this {
    return this;
  }
  setKeepAlive(): this {
    return this;
  }
}

/** Stop every ProxyCommand child still running (end of the run). */
export function stopAllProxyCommands(): void {
  for (const c of live) stop(c);
}
