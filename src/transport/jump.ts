import type { Client } from 'ssh2';
import type { Duplex } from 'node:stream';
import { connectEndpoint, ConnectError, type ConnectEnv } from './connect.js';
import { ProxyCommandSocket, stopAllProxyCommands } from './proxy-command.js';
import { endpointKey, type Endpoint } from './target.js';
import { destroySocket, seconds } from './phases.js';

// Where a connection's socket comes from: a direct TCP connection (ssh2's own), a channel
// forwarded by the last jump host, or a ProxyCommand's stdio.
// Jump hosts: ONE shared connection per bastion (per chain) for the whole run, and one
// forwarded channel (direct-tcpip) through it per host behind it. Each hop's host key is
// checked like any host's. A bastion that cannot be reached fails once, and every host
// behind it ends unreachable with that reason. The outermost hop may itself be reached
// through its ProxyCommand.

export class JumpPool {
  private conns = new Map<string, Promise<Client>>();

  constructor(private readonly env: ConnectEnv) {}

  /** The socket factory for an endpoint (a fresh socket per attempt); undefined: connect directly. */
  socketFor(ep: Endpoint): (() => Promise<Duplex>) | undefined {
    if (ep.jumps.length) return () => this.streamTo(ep.jumps, ep.host, ep.port);
    const pc = ep.proxyCommand;
    if (pc) return () => Promise.resolve(new ProxyCommandSocket(pc));
    return undefined;
  }

  /** A stream to host:port opened by the innermost jump host of `jumps` (outermost first). */
  async streamTo(jumps: Endpoint[], host: string, port: number): Promise<Duplex> {
    const hop = jumps[jumps.length - 1]!;
    const client = await this.connectionFor(jumps);
    return new Promise((resolve, reject) => {
      // a bastion that never answers the channel open must not hold the host behind it
      const timer = setTimeout(
        () => reject(new ConnectError(`${hop.label} (${hop.host}) did not open a connection to ${host}:${port} within ${seconds(hop.connectTimeoutMs)} (channel open on the jump host)`)),
        hop.connectTimeoutMs,
      );
      try {
        client.forwardOut('127.0.0.1', 0, host, port, (err, stream) => {
          clearTimeout(timer);
          if (err) reject(new ConnectError(`${hop.label} (${hop.host}) cannot open a connection to ${host}:${port}: ${err.message}`, /reset|lost/i.test(err.message)));
          else {
            stream.on('error', () => undefined);
            resolve(stream);
          }
        });
      } catch (e) {
        clearTimeout(timer);
        reject(new ConnectError(`${hop.label} (${hop.host}): ${(e as Error).message}`, true));
      }
    });
  }

  private connectionFor(jumps: Endpoint[]): Promise<Client> {
    const key = jumps.map(endpointKey).join(' > ');
    let p = this.conns.get(key);
    if (!p) {
      const hop = jumps[jumps.length - 1]!;
      const outer = jumps.slice(0, -1);
      p = connectEndpoint(hop, this.env, this.socketFor({ ...hop, jumps: outer }))
        .then((c) => {
          c.on('close', () => this.conns.delete(key));
          return c;
        })
        .catch((e: Error) => {
          throw new ConnectError(`via ${hop.label}: ${e.message}`);
        });
      this.conns.set(key, p);
    }
    return p;
  }

  /** Close every bastion connection (end of the run). */
  async closeAll(): Promise<void> {
    const all = [...this.conns.values()];
    this.conns.clear();
    await Promise.all(
      all.map((p) =>
        p.then(
          (c) => {
            c.end();
            // a bastion that never confirms the end is cut (unref: an answered end costs nothing)
            setTimeout(() => destroySocket(c), 5_000).unref();
          },
          () => undefined,
        ),
      ),
    );
    stopAllProxyCommands();
  }
}
