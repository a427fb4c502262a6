import type { Client, ClientChannel } from 'ssh2';
import type { Target } from '../inventory/types.js';
import { sh } from '../core/quote.js';
import type { ExecOptions, ExecResult, Session } from './types.js';
import { newMarkers, remoteCommand, stripPrompts } from './become.js';
import { destroySocket, keepaliveWords, seconds, type Phase, type PhaseTrack } from './phases.js';

// One live connection: exec with stdin, remote+local timeout and sudo; put; controller().
// Every wait settles: the channel open, the close of a channel and of the connection have
// deadlines; a connection that dies (keepalive, reset, a deadline) settles every exec still
// running on it, with the phase it was in.

/** An exec that could not run at all (channel refused, connection lost): the host is unreachable. */
export class SessionLostError extends Error {}

/** Local grace after the remote timeout before the channel is closed from our side. */
const LOCAL_GRACE_MS = 3_000;

export interface SessionOptions {
  becomePassword?: string;
  commandTimeoutMs?: number;
  /** true when the connection goes through jump hosts (the socket's local address is not what the host sees) */
  jumped: boolean;
  /** deadline for a channel to open, and for a channel or the connection to close (default 10 s) */
  channelTimeoutMs?: number;
  /** for the reason given when keepalives find the peer dead */
  keepalive?: { intervalMs: number; countMax: number };
  /** the host's phase, updated as execs run */
  track?: PhaseTrack;
}

/** What one running channel needs from its session. */
interface ChannelHooks {
  closeTimeoutMs: number;
  /** register the function that settles the channel when the connection dies; returns the unregister */
  onLost(settle: (reason: string) => void): () => void;
  /** why the connection is gone, when it is */
  lostReason(): string | undefined;
  /** give up on the connection (a channel that does not close) */
  abort(reason: string): void;
  enter(p: Phase): void;
}

export class SshSession implements Session {
  private controllerInfo?: Promise<{ address: string; port: number; sshPort: number; hostAddress?: string }>;
  /** the connection dropped (keepalive, reset, a deadline): what failed afterwards is 'unreachable' */
  lost = false;
  /** why, with the phase it happened in */
  lostReason?: string;
  private closing = false;
  private closed = false;
  private lastError?: string;
  private readonly running = new Set<(reason: string) => void>();
  private readonly channelMs: number;

  constructor(
    readonly target: Target,
    private readonly client: Client,
    private readonly o: SessionOptions,
  ) {
    this.channelMs = o.channelTimeoutMs ?? 10_000;
    client.on('error', (e: Error & { code?: string; level?: string }) => {
      this.lastError ??= this.describeError(e);
    });
    client.on('close', () => {
      this.closed = true;
      if (!this.closing) this.markLost(this.lastError ?? 'the connection closed');
      // ssh2 closes the channels of a dead socket; whatever did not settle by then does now
      setImmediate(() => this.settleRunning());
    });
  }

  private describeError(e: Error & { code?: string; level?: string }): string {
    if (/keepalive timeout/i.test(e.message) && this.o.keepalive) return `${keepaliveWords(this.o.keepalive.intervalMs, this.o.keepalive.countMax)} (keepalive: the host or the network stopped answering)`;
    if (e.code === 'ECONNRESET') return 'the connection was reset (ECONNRESET)';
    // a write to a socket the host already closed (sshd killed while we were sending)
    if (e.code === 'EPIPE') return 'the connection was closed by the host (EPIPE on write)';
    return e.message;
  }

  private markLost(reason: string): void {
    if (this.lost) return;
    this.lost = true;
    const p = this.o.track?.phase;
    this.lostReason = p && p !== 'done' && p !== 'queued' && p !== 'working' ? `${reason}, during ${p}` : reason;
  }

  private settleRunning(): void {
    for (const settle of [...this.running]) settle(this.lostReason ?? 'the connection closed');
  }

  /** Cut the connection now (a deadline passed): every exec still running on it settles. */
  abort(reason: string): void {
    this.markLost(reason);
    destroySocket(this.client);
    setImmediate(() => this.settleRunning());
  }

  private hooks(): ChannelHooks {
    return {
      closeTimeoutMs: this.channelMs,
      onLost: (settle) => {
        this.running.add(settle);
        return () => this.running.delete(settle);
      },
      lostReason: () => (this.lost ? this.lostReason : undefined),
      abort: (reason) => this.abort(reason),
      enter: (p) => this.o.track?.enter(p),
    };
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
    const name = this.target.name;
    if (this.lost || this.closed) return Promise.reject(new SessionLostError(`cannot run a command on ${name}: the connection is gone (${this.lostReason ?? 'closed'})`));
    return new Promise((resolve, reject) => {
      let answered = false;
      const gone = (why: string): void => {
        if (answered) return;
        answered = true;
        clearTimeout(openTimer);
        reject(new SessionLostError(`cannot run a command on ${name}: ${why}`));
      };
      this.o.track?.enter('channel open');
      // a channel open that gets no answer: the connection is as good as dead
      const openTimer = setTimeout(() => {
        const why = `no answer to the channel open within ${seconds(this.channelMs)}`;
        gone(`${why} (channel open)`);
        this.abort(why);
      }, this.channelMs);
      const unregister = this.hooks().onLost((reason) => gone(reason));
      try {
        this.client.exec(full, (err, stream) => {
          unregister();
          if (answered) return void stream?.close();
          if (err) return gone(`${this.lost ? this.lostReason : err.message} (channel open)`);
          answered = true;
          clearTimeout(openTimer);
          runChannel(stream, { stdin: opts.stdin, markers, password, timeoutMs, started }, this.hooks(), resolve);
        });
      } catch (e) {
        unregister();
        gone(`${(e as Error).message} (channel open)`);
      }
    });
  }

  async put(path: string, content: Buffer, mode = '0644', become = false): Promise<void> {
    const cmd = sh`umask 077; t=${path}.minesweep-tmp.$$; cat > "$t" && chmod ${mode} "$t" && mv -f "$t" ${path} || { rm -f "$t"; exit 1; }`;
    const r = await this.exec(cmd, { stdin: content, become });
    if (r.code !== 0) throw new Error(`cannot write ${path} on ${this.target.name}: ${r.stderr.toString('utf8').trim() || `exit ${r.code}`}`);
  }

  /** End the connection; a peer that does not answer is cut after the channel timeout. Always settles. */
  close(): Promise<void> {
    this.closing = true;
    this.o.track?.enter('close');
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        destroySocket(this.client);
        resolve();
      }, this.channelMs);
      this.client.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      try {
        this.client.end();
      } catch {
        destroySocket(this.client);
      }
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

/** Drive one exec channel: become handshake, stdin, output, exit status, timeouts; settles exactly once. */
function runChannel(stream: ClientChannel, job: ChannelJob, hooks: ChannelHooks, done: (r: ExecResult) => void): void {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let pending = Buffer.alloc(0); // stdout before the become marker
  let ready = !job.markers;
  let prompts = 0;
  let becomeFailure: string | undefined;
  let code: number | null = null;
  let signal: string | undefined;
  let localTimeout: Phase | undefined;
  let finished = false;
  let phase: Phase = job.markers ? 'become (sudo)' : 'stdin write';
  let closeTimer: NodeJS.Timeout | undefined;
  const enter = (p: Phase): void => {
    phase = p;
    hooks.enter(p);
  };
  enter(phase);

  const sendStdin = (): void => {
    enter('stdin write');
    if (job.stdin !== undefined && job.stdin.length > 0) stream.write(job.stdin);
    stream.end(() => {
      if (phase === 'stdin write') enter('output read');
    });
  };
  /** ask the channel to close; a peer that never confirms costs the connection, not the run */
  const closeChannel = (): void => {
    if (closeTimer || finished) return;
    enter('close');
    try {
      stream.close();
    } catch {
      /* already closed */
    }
    closeTimer = setTimeout(() => {
      const why = `the channel did not close within ${seconds(hooks.closeTimeoutMs)}`;
      hooks.abort(why);
      finish(`${why} (close)`);
    }, hooks.closeTimeoutMs);
  };
  const abort = (why: string): void => {
    becomeFailure ??= why;
    closeChannel();
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
        localTimeout = phase;
        closeChannel();
      }, job.timeoutMs + LOCAL_GRACE_MS)
    : undefined;
  const unregister = hooks.onLost((reason) => finish(reason));

  /** the one place the exec settles; `lost` when the connection died (or was cut) under it */
  function finish(lostWhy?: string): void {
    if (finished) return;
    finished = true;
    unregister();
    if (timer) clearTimeout(timer);
    if (closeTimer) clearTimeout(closeTimer);
    const durationMs = Date.now() - job.started;
    // no exit status and the connection is gone: the command's end was never seen
    const lost = lostWhy ?? (code === null && !localTimeout ? hooks.lostReason() : undefined);
    let stderr = Buffer.concat(err);
    if (job.markers) stderr = Buffer.from(stripPrompts(stderr.toString('latin1'), job.markers.prompt).text, 'latin1');
    if (becomeFailure) stderr = Buffer.concat([stderr, Buffer.from(`minesweep: ${becomeFailure}\n`)]);
    if (lost) stderr = Buffer.concat([stderr, Buffer.from(`minesweep: connection lost after ${seconds(durationMs)}: ${lost}\n`)]);
    else if (localTimeout) stderr = Buffer.concat([stderr, Buffer.from(`minesweep: timed out after ${seconds(durationMs)} during ${localTimeout}\n`)]);
    if (!ready && pending.length) out.push(pending);
    const remoteKill = (code === 137 || signal === 'KILL' || signal === 'SIGKILL') && job.timeoutMs !== undefined && durationMs >= job.timeoutMs - 500;
    hooks.enter('working');
    done({
      code: becomeFailure || lost ? null : code,
      ...(signal ? { signal } : {}),
      stdout: Buffer.concat(out),
      stderr,
      durationMs,
      timedOut: localTimeout !== undefined || remoteKill,
      ...(lost ? { lost } : {}),
    });
  }
  stream.on('close', () => finish());
}
