// Real peers on 127.0.0.1 for the transport's deadline tests (no mocked SSH):
//  - startLocalSshd(): the machine's OpenSSH sshd, in the foreground, on a free port, with
//    its own host key, a client key and a known_hosts; run in a private mount namespace whose
//    tmpfs /run holds the privilege separation directory (root only) and an empty /root hides
//    the machine's root dotfiles from the login shell. The test can SIGSTOP /
//    SIGCONT / SIGKILL it and its sessions by PID.
//  - silentServer(): accepts TCP connections and never says anything.
//  - bannerThenSilent(): sends an SSH banner, then nothing.
//  - stoppedListener(): a listener whose process is stopped and whose accept queue is full,
//    so a new TCP connection never completes (SYNs are dropped).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export function localSshdSkipReason(): string | null {
  if (process.platform !== 'linux') return 'needs Linux';
  if (process.getuid?.() !== 0) return 'a private sshd needs root (mount namespace for its privsep directory)';
  if (!existsSync('/usr/sbin/sshd')) return 'no /usr/sbin/sshd (apt-get install openssh-server)';
  return null;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export interface LocalSshd {
  port: number;
  /** the listener's PID */
  pid: number;
  dir: string;
  keyFile: string;
  knownHosts: string;
  /** the listener and every session process under it */
  pids(): number[];
  signal(sig: NodeJS.Signals): void;
  stop(): Promise<void>;
}

function children(pid: number): number[] {
  try {
    const kids = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    return kids.flatMap((k) => [k, ...children(k)]);
  } catch {
    return [];
  }
}

async function waitPort(port: number, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    const ok = await new Promise<boolean>((r) => {
      const s = net.connect({ host: '127.0.0.1', port }, () => {
        s.destroy();
        r(true);
      });
      s.once('error', () => r(false));
    });
    if (ok) return;
    if (Date.now() > end) throw new Error(`sshd on 127.0.0.1:${port} did not start`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Start a private sshd; `extra` lines go into its sshd_config (e.g. "MaxStartups 1"). */
export async function startLocalSshd(extra: string[] = []): Promise<LocalSshd> {
  const dir = mkdtempSync(path.join(tmpdir(), 'ms-local-sshd-'));
  const hostKey = path.join(dir, 'host_ed25519');
  const keyFile = path.join(dir, 'client_ed25519');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', hostKey]);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', keyFile]);
  const port = await freePort();
  writeFileSync(path.join(dir, 'authorized_keys'), readFileSync(keyFile + '.pub'));
  const knownHosts = path.join(dir, 'known_hosts');
  writeFileSync(knownHosts, `[127.0.0.1]:${port} ${readFileSync(hostKey + '.pub', 'utf8').trim().split(' ').slice(0, 2).join(' ')}\n`);
  const config = path.join(dir, 'sshd_config');
  writeFileSync(config, [
    `ListenAddress 127.0.0.1:${port}`, `HostKey ${hostKey}`, `PidFile ${dir}/sshd.pid`, `AuthorizedKeysFile ${dir}/authorized_keys`,
    'StrictModes no', 'UsePAM no', 'PasswordAuthentication no', 'KbdInteractiveAuthentication no', 'PermitRootLogin prohibit-password',
    'LogLevel ERROR', ...extra, '',
  ].join('\n'));
  const child: ChildProcess = spawn('unshare', ['-m', '--propagation', 'private', 'sh', '-c', 'mount -t tmpfs tmpfs /run && mkdir -m 755 /run/sshd && mount -t tmpfs tmpfs /root && exec /usr/sbin/sshd -D -e -f "$1"', 'sh', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  try {
    await waitPort(port);
  } catch (e) {
    child.kill('SIGKILL');
    throw new Error(`${(e as Error).message}: ${stderr}`);
  }
  const pid = child.pid!;
  const pids = (): number[] => [pid, ...children(pid)];
  return {
    port,
    pid,
    dir,
    keyFile,
    knownHosts,
    pids,
    signal(sig) {
      for (const p of pids()) {
        try {
          process.kill(p, sig);
        } catch {
          /* gone */
        }
      }
    },
    async stop() {
      const all = pids();
      for (const p of all) {
        try {
          process.kill(p, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
      if (child.exitCode === null) await new Promise((r) => child.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Peer {
  port: number;
  close(): Promise<void>;
}

function serve(onSocket: (s: net.Socket) => void): Promise<Peer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
    onSocket(s);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({
        port: (server.address() as net.AddressInfo).port,
        close: () =>
          new Promise((r) => {
            for (const s of sockets) s.destroy();
            server.close(() => r());
          }),
      });
    });
  });
}

/** Accepts, reads, never writes. */
export const silentServer = (): Promise<Peer> => serve((s) => s.resume());

/** Sends an SSH identification line, then nothing (no key exchange). */
export const bannerThenSilent = (): Promise<Peer> =>
  serve((s) => {
    s.write('SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10\r\n');
    s.resume();
  });

/**
 * A listener in a child process that is then SIGSTOPped, with its accept queue filled:
 * a new connection's SYN is dropped by the kernel, so TCP connect never completes.
 */
export async function stoppedListener(): Promise<Peer> {
  const child = spawn(process.execPath, ['-e', "const s=require('net').createServer();s.listen({port:0,host:'127.0.0.1',backlog:1},()=>{process.stdout.write(String(s.address().port)+'\\n')});s.on('connection',()=>{})"], { stdio: ['ignore', 'pipe', 'ignore'] });
  const port = await new Promise<number>((resolve) => child.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))));
  process.kill(child.pid!, 'SIGSTOP');
  // fill the accept queue: connections that complete the handshake but are never accepted
  const fillers: net.Socket[] = [];
  for (let i = 0; i < 3; i++) {
    const f = net.connect({ host: '127.0.0.1', port });
    f.on('error', () => undefined);
    fillers.push(f);
  }
  await new Promise((r) => setTimeout(r, 300));
  return {
    port,
    close: async () => {
      for (const f of fillers) f.destroy();
      child.kill('SIGKILL');
      if (child.exitCode === null && child.signalCode === null) await new Promise((r) => child.once('exit', r));
    },
  };
}
