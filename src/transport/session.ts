import type { Client, ClientChannel } from 'ssh2';
import type { Target } from '../inventory/types.js';
import { sh } from '../core/quote.js';
import type { ExecOptions, ExecResult, Session } from './types.js';
import { newMarkers, remoteCommand, stripPrompts } from './become.js';

// One live connection: exec with stdin, remote+local timeout and sudo; put; controller().

/** An exec that could not run at all (channel refused, connection lost): the host is unreachable. */
export class SessionLostError extends Error {}

/** Local grace after the remote timeout before the channel is closed from our side. */
const LOCAL_GRACE_MS = 3_000;

export interface SessionOptions {
  becomePassword?: string;
  commandTimeoutMs?: number;
  /** true when the connection goes through jump hosts (the socket's local address is not what the host sees) */
  jumped: boolean;
}

export class SshSession implements Session {
  private controllerInfo?: Promise<{ address: string; port: number; sshPort: number; hostAddress?: string }>;
  /** the connection dropped (keepalive, reset): what failed afterwards is 'unreachable' */
  lost = false;
  private closing = false;

  constructor(
    readonly target: Target,
    private readonly client: Client,
    private readonly o: SessionOptions,
  ) {
    client.on('close', () => {
      if (!this.closing) this.lost = true;
    });
  }

  controller(): Promise<{ address: string; port: number; sshPort: number; hostAddress?: string }> {
    this.controllerInfo ??= this.findController();
    return this.controllerInfo;
  }

  private async findController(): Promise<{ address: string; port: number; sshPort: number; hostAddress?: string }> {
    const sock = (this.client as unknown as { _sock?: { localAddress?: string; localPort?: number; remoteAddress?: string; remotePort?: number } })._sock;
    if (!this.o.jumped && sock?.localAddress && sock.localPort) {
      return { address: sock.localAddress.replace(/^::ffff:/, ''), port: sock.localPort, sshPort: sock.remotePort ?? this.target.port, ...(sock.remoteAddress ? { hostAddress: sock.remoteAddress.replace(/^::ffff:/, '') } : {}) };
    }
    const r = await this.exec('echo "$SSH_CONNECTION"');
    const [address, port, hostAddress, sshPort] = r.stdout.toString('utf8').trim().split(/\s+/);
    if (r.code !== 0 || !address || !port || !sshPort) throw new Error(`cannot read SSH_CONNECTION on ${this.target.name}`);
    return { address, port: Number(port), sshPort: Number(sshPort), ...(hostAddress ? { hostAddress } : {}) };
  }

  exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    const timeoutMs = opts.timeoutMs ?? this.o.commandTimeoutMs;
    const needSudo = opts.become === true && !(this.target.user === 'root' && this.target.becomeUser === 'root');
    const markers = needSudo ? newMarkers() : undefined;
    const full = remoteCommand(command, {
      ...(timeoutMs ? { timeoutSec: timeoutMs / 1000 } : {}),
      ...(markers ? { sudo: { user: this.target.becomeUser || 'root', markers } } : {}),
    });
    const password = this.target.becomePassword ?? this.o.becomePassword;
    const started = Date.now();
    return new Promise((resolve, reject) => {
      let opened = false;
      try {
        this.client.exec(full, (err, stream) => {
          if (err) return reject(new SessionLostError(`cannot run a command on ${this.target.name}: ${err.message}`));
          opened = true;
          runChannel(stream, { stdin: opts.stdin, markers, password, timeoutMs, started }, resolve);
        });
      } catch (e) {
        if (!opened) reject(new SessionLostError(`cannot run a command on ${this.target.name}: ${(e as Error).message}`));
      }
    });
  }

  async put(path: string, content: Buffer, mode = '0644', become = false): Promise<void> {
    const cmd = sh`umask 077; t=${path}.minesweep-tmp.$$; cat > "$t" && chmod ${mode} "$t" && mv -f "$t" ${path} || { rm -f "$t"; exit 1; }`;
    const r = await this.exec(cmd, { stdin: content, become });
    if (r.code !== 0) throw new Error(`cannot write ${path} on ${this.target.name}: ${r.stderr.toString('utf8').trim() || `exit ${r.code}`}`);
  }

  close(): Promise<void> {
    this.closing = true;
    return new Promise((resolve) => {
      this.client.once('close', () => resolve());
      this.client.end();
      setTimeout(resolve, 1000).unref();
    });
  }
}

interface ChannelJob {
  stdin: string | Buffer | undefined;
  markers: ReturnType<typeof newMarkers> | undefined;
  password: string | undefined;
  timeoutMs: number | undefined;
  started: number;
}

/** Drive one exec channel: become handshake, stdin, output, exit status, timeouts. */
function runChannel(stream: ClientChannel, job: ChannelJob, done: (r: ExecResult) => void): void {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let pending = Buffer.alloc(0); // stdout before the become marker
  let ready = !job.markers;
  let prompts = 0;
  let becomeFailure: string | undefined;
  let code: number | null = null;
  let signal: string | undefined;
  let localTimeout = false;
  let finished = false;

  const sendStdin = (): void => {
    if (job.stdin !== undefined && job.stdin.length > 0) stream.write(job.stdin);
    stream.end();
  };
  const abort = (why: string): void => {
    becomeFailure ??= why;
    stream.close();
  };

  // a channel error ends in 'close' like any other end: never an unhandled 'error' event
  stream.on('error', () => undefined);
  stream.stderr.on('error', () => undefined);
  stream.on('data', (chunk: Buffer) => {
    if (ready) return void out.push(chunk);
    pending = Buffer.concat([pending, chunk]);
    const nl = pending.indexOf('\n');
    if (nl < 0) return;
    const first = pending.subarray(0, nl).toString('utf8');
    if (first === job.markers!.ready) {
      ready = true;
      if (pending.length > nl + 1) out.push(pending.subarray(nl + 1));
      pending = Buffer.alloc(0);
      sendStdin();
    }
  });
  stream.stderr.on('data', (chunk: Buffer) => {
    err.push(chunk);
    if (ready || !job.markers) return;
    const seen = stripPrompts(Buffer.concat(err).toString('latin1'), job.markers.prompt).count;
    if (seen > prompts) {
      prompts = seen;
      if (job.password === undefined)
        abort('sudo asks for a password: set ansible_become_password in the inventory or MINESWEEP_BECOME_PASSWORD, or pass --ask-become-pass');
      else if (prompts > 1) abort('sudo rejected the become password (check ansible_become_password / MINESWEEP_BECOME_PASSWORD)');
      else stream.write(job.password + '\n');
    }
  });
  stream.on('exit', (c: number | null, sig?: string) => {
    code = typeof c === 'number' ? c : null;
    if (sig) signal = sig;
  });
  if (!job.markers) sendStdin();

  const timer = job.timeoutMs
    ? setTimeout(() => {
        localTimeout = true;
        stream.close();
      }, job.timeoutMs + LOCAL_GRACE_MS)
    : undefined;

  stream.on('close', () => {
    if (finished) return;
    finished = true;
    if (timer) clearTimeout(timer);
    const durationMs = Date.now() - job.started;
    let stderr = Buffer.concat(err);
    if (job.markers) stderr = Buffer.from(stripPrompts(stderr.toString('latin1'), job.markers.prompt).text, 'latin1');
    if (becomeFailure) stderr = Buffer.concat([stderr, Buffer.from(`minesweep: ${becomeFailure}\n`)]);
    if (!ready && pending.length) out.push(pending);
    const remoteKill = (code === 137 || signal === 'KILL' || signal === 'SIGKILL') && job.timeoutMs !== undefined && durationMs >= job.timeoutMs - 500;
    done({
      code: becomeFailure ? null : code,
      ...(signal ? { signal } : {}),
      stdout: Buffer.concat(out),
      stderr,
      durationMs,
      timedOut: localTimeout || remoteKill,
    });
  });
}
