import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InventoryHost, Target } from '../../../src/inventory/types.js';
import { connectEndpoint, ConnectError, type ConnectEnv } from '../../../src/transport/connect.js';
import { loadResolveEnv } from '../../../src/transport/env.js';
import { runFleet } from '../../../src/transport/fleet.js';
import { HostKeyStore } from '../../../src/transport/host-key.js';
import { PhaseTrack } from '../../../src/transport/phases.js';
import { SshSession } from '../../../src/transport/session.js';
import { buildTarget, endpointFor, type Endpoint } from '../../../src/transport/target.js';
import type { FleetOptions } from '../../../src/transport/types.js';
import { bannerThenSilent, localSshdSkipReason, silentServer, startLocalSshd, stoppedListener, type LocalSshd, type Peer } from '../../helpers/local-sshd.js';

// Every await at the host boundary settles, against real peers on 127.0.0.1: a TCP listener
// that never completes the connection, one that accepts and never speaks, one that sends the
// SSH banner and goes silent, and the machine's own sshd stopped (SIGSTOP) or killed at each
// phase. Bounds are generous (the machine is shared): what is asserted is that each wait
// ends, with the phase named, well before it could have without its deadline.

const skip = localSshdSkipReason();
// the deadline a test expects to fire; real handshakes get a generous one (the machine is shared)
const SHORT = 2_000;
const GENEROUS = 20_000;
let sshd: LocalSshd;
const peers: Peer[] = [];

async function target(name: string, port: number, connectTimeoutMs = GENEROUS): Promise<{ t: Target; opts: FleetOptions }> {
  const key = sshd.keyFile;
  const known = sshd.knownHosts;
  const opts: FleetOptions = { forks: 10, connectTimeoutMs, sshConfigFile: 'none', knownHostsFile: known, hostKeyChecking: 'strict' };
  const host: InventoryHost = { name, groups: ['all'], vars: { ansible_host: '127.0.0.1', ansible_port: port, ansible_user: 'root', ansible_ssh_private_key_file: key } };
  return { t: await buildTarget(host, loadResolveEnv(opts)), opts };
}

async function endpoint(name: string, port: number, over: Partial<Endpoint> = {}): Promise<Endpoint> {
  const { t, opts } = await target(name, port, over.connectTimeoutMs ?? GENEROUS);
  return { ...endpointFor(t, { opts }), ...over };
}

const kill = (pid: number): void => {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    /* gone already */
  }
};
const env = (): ConnectEnv => ({ hostKeys: new HostKeyStore(() => undefined), retries: 0 });

/** How long `p` takes to settle, and how. */
async function timed<T>(p: Promise<T>): Promise<{ ms: number; value?: T; error?: Error }> {
  const t0 = Date.now();
  try {
    const value = await p;
    return { ms: Date.now() - t0, value };
  } catch (e) {
    return { ms: Date.now() - t0, error: e as Error };
  }
}

describe.skipIf(skip)('deadlines at the host boundary (real peers on 127.0.0.1)', () => {
  beforeAll(async () => {
    sshd = await startLocalSshd();
  }, 30_000);
  afterAll(async () => {
    sshd?.signal('SIGCONT');
    await sshd?.stop();
    for (const p of peers) await p.close();
  });

  it('tcp connect: a listener whose SYNs are dropped ends in the tcp connect phase', async () => {
    const peer = await stoppedListener();
    peers.push(peer);
    const track = new PhaseTrack();
    const r = await timed(connectEndpoint(await endpoint('syn-dropped', peer.port, { connectTimeoutMs: SHORT }), env(), undefined, { track }));
    expect(r.error).toBeInstanceOf(ConnectError);
    expect(r.error!.message).toMatch(/no TCP connection to (host )?syn-dropped .* within 2 s \(tcp connect/);
    expect(r.ms).toBeLessThan(20_000);
  });

  it('ssh handshake: a server that accepts and never speaks, and one that stops after its banner', async () => {
    for (const make of [silentServer, bannerThenSilent]) {
      const peer = await make();
      peers.push(peer);
      const r = await timed(connectEndpoint(await endpoint('mute', peer.port, { connectTimeoutMs: SHORT }), env()));
      expect(r.error!.message).toMatch(/accepted the TCP connection but finished no SSH handshake within 2 s \(ssh handshake/);
      expect(r.error && (r.error as ConnectError).retryable).toBe(false);
      expect(r.ms).toBeLessThan(20_000);
    }
  });

  it('ssh handshake: the real sshd, SIGSTOPped, accepts the TCP connection and says nothing', async () => {
    sshd.signal('SIGSTOP');
    try {
      const r = await timed(connectEndpoint(await endpoint('stopped', sshd.port, { connectTimeoutMs: SHORT }), env()));
      expect(r.error!.message).toMatch(/\(ssh handshake: sshd stopped/);
    } finally {
      sshd.signal('SIGCONT');
    }
  });

  it('channel open: a connection whose sshd is stopped after login (keepalives off) settles within the channel deadline', async () => {
    const client = await connectEndpoint(await endpoint('h', sshd.port, { keepaliveIntervalMs: 0 }), env());
    const track = new PhaseTrack();
    const s = new SshSession((await target('h', sshd.port)).t, client, { jumped: false, channelTimeoutMs: SHORT, track });
    sshd.signal('SIGSTOP');
    try {
      const r = await timed(s.exec('true'));
      expect(r.error!.message).toMatch(/no answer to the channel open within 2 s \(channel open\)/);
      expect(s.lost).toBe(true);
      const c = await timed(s.close());
      expect(c.ms).toBeLessThan(10_000);
    } finally {
      sshd.signal('SIGCONT');
    }
  });

  it('output read: keepalives find a stopped peer mid-command; the exec settles as lost, naming the phase', async () => {
    const client = await connectEndpoint(await endpoint('h', sshd.port, { keepaliveIntervalMs: 1_000, keepaliveCountMax: 2 }), env());
    const track = new PhaseTrack();
    const s = new SshSession((await target('h', sshd.port)).t, client, { jumped: false, channelTimeoutMs: SHORT, track, keepalive: { intervalMs: 1_000, countMax: 2 } });
    const running = timed(s.exec('echo started; sleep 60'));
    await new Promise((r) => setTimeout(r, 2_000));
    sshd.signal('SIGSTOP');
    try {
      const r = await running;
      expect(r.value!.lost).toMatch(/no answer to 3 keepalives 1 s apart.*during output read/);
      expect(r.value!.code).toBeNull();
      expect(r.ms).toBeLessThan(30_000);
      expect(s.lost).toBe(true);
      // a second exec on the dead connection fails at once
      await expect(s.exec('true')).rejects.toThrow(/the connection is gone/);
      expect((await timed(s.close())).ms).toBeLessThan(10_000);
    } finally {
      sshd.signal('SIGCONT');
    }
  });

  it('stdin write and close: a peer stopped while a large stdin is sent; the channel close is bounded too', async () => {
    const client = await connectEndpoint(await endpoint('h', sshd.port, { keepaliveIntervalMs: 0 }), env());
    const track = new PhaseTrack();
    const s = new SshSession((await target('h', sshd.port)).t, client, { jumped: false, channelTimeoutMs: SHORT, track });
    const big = Buffer.alloc(8 << 20, 0x41); // larger than any SSH window: the write must wait for the peer
    const running = timed(s.exec('sleep 1; cat >/dev/null', { stdin: big, timeoutMs: 3_000 }));
    // stop the peer while the stdin is still being written (it is larger than the channel window)
    for (let i = 0; i < 400 && track.phase !== 'stdin write'; i++) await new Promise((r) => setTimeout(r, 50));
    sshd.signal('SIGSTOP');
    try {
      const r = await running;
      expect(r.value!.timedOut).toBe(true);
      expect(r.value!.stderr.toString()).toMatch(/timed out after .* during stdin write|the channel did not close within 2 s \(close\)/);
      expect(r.ms).toBeLessThan(30_000);
      expect((await timed(s.close())).ms).toBeLessThan(10_000);
    } finally {
      sshd.signal('SIGCONT');
    }
  });

  it('a connection that dies (its sshd session killed) settles the exec running on it', async () => {
    const client = await connectEndpoint(await endpoint('h', sshd.port), env());
    const track = new PhaseTrack();
    const s = new SshSession((await target('h', sshd.port)).t, client, { jumped: false, channelTimeoutMs: SHORT, track });
    const running = timed(s.exec('sleep 60'));
    for (let i = 0; i < 400 && track.phase !== 'output read'; i++) await new Promise((r) => setTimeout(r, 50));
    // the session processes of this connection (everything under the listener), not the listener
    for (const p of sshd.pids()) if (p !== sshd.pid) kill(p);
    const r = await running;
    expect(r.value!.code).toBeNull();
    expect(r.ms).toBeLessThan(20_000);
    expect((await timed(s.close())).ms).toBeLessThan(10_000);
  });

  it('runFleet: good, mute and stopped peers together — every host ends, with its phase, and the good one is ok', async () => {
    const mute = await silentServer();
    const banner = await bannerThenSilent();
    peers.push(mute, banner);
    const hosts = await Promise.all([target('good', sshd.port, 10_000), target('mute', mute.port, 10_000), target('banner', banner.port, 10_000)]);
    // one connect timeout for the run: long enough for the real handshake, the mute ones wait it out
    const r = await timed(runFleet(hosts.map((h) => h.t), async (s) => ({ status: (await s.exec('echo hi')).code === 0 ? 'ok' : 'failed' }), { ...hosts[0]!.opts, connectRetries: 0 }));
    const by = new Map(r.value!.map((x) => [x.host, x]));
    expect(by.get('good')!.status).toBe('ok');
    for (const h of ['mute', 'banner']) {
      expect(by.get(h)!.status).toBe('unreachable');
      expect(by.get(h)!.reason).toMatch(/\(ssh handshake/);
    }
    expect(r.ms).toBeLessThan(60_000);
  }, 90_000);

  it('runFleet: the host deadline ends a host whose command outlives it (failed, in output read)', async () => {
    const h = await target('slow', sshd.port);
    const r = await timed(runFleet([h.t], async (s) => ({ status: (await s.exec('sleep 60')).code === 0 ? 'ok' : 'failed' }), { ...h.opts, hostTimeoutMs: 2_000 }));
    expect(r.value![0]!.status).toBe('failed');
    expect(r.value![0]!.reason).toMatch(/the host deadline \(--host-timeout 2 s\) passed \(in output read, for/);
    expect(r.ms).toBeLessThan(20_000);
  });

  it('runFleet: a wait that can never end is ended when the event loop drains (beforeExit), the others complete', async () => {
    const a = await target('stuck', sshd.port);
    const b = await target('fine', sshd.port);
    let fineDone!: () => void;
    const fine = new Promise<void>((r) => (fineDone = r));
    // 'stuck' must be past its connection (in the host's work) before the loop drains: a host
    // still connecting then is ended as unreachable, which is right but not what this tests
    let stuckIn!: () => void;
    const stuckWaiting = new Promise<void>((r) => (stuckIn = r));
    const run = runFleet([a.t, b.t], (s) => (s.target.name === 'stuck' ? (stuckIn(), new Promise(() => undefined)) : s.exec('true').then(() => ({ status: 'ok' as const }))), { ...a.opts, onProgress: () => fineDone() });
    await Promise.all([fine, stuckWaiting]);
    // vitest keeps this process busy, so its loop never drains by itself: emit what Node emits then
    process.emit('beforeExit', 0);
    const res = await run;
    const by = new Map(res.map((x) => [x.host, x]));
    expect(by.get('fine')!.status).toBe('ok');
    expect(by.get('stuck')!.status).toBe('failed');
    expect(by.get('stuck')!.reason).toMatch(/nothing left to wait on/);
  }, 60_000);
});
