// The lab itself: real hosts reachable with the real ssh client, every scenario's planted
// artifacts present, respawn real, and `lab down` leaving nothing behind.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { quote } from '../../src/core/quote.js';
import { labNames } from '../../src/lab/naming.js';
import type { PlantedArtifact } from '../../src/lab/types.js';
import { getLab, labDown, labSkipReason, LAB_TEST_DIR, type LabHandle } from '../helpers/lab.js';

const skip = labSkipReason();
if (skip) console.warn(`skipping lab e2e: ${skip}`);

function run(cmd: string, args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { encoding: 'utf8', timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ stdout, stderr, code: err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0 });
    });
  });
}

/** A shell test that exits 0 when the artifact is on the host. */
function artifactCheck(a: PlantedArtifact, address: string): string | null {
  const q = (v: string | undefined): string => quote(v ?? '');
  switch (a.kind) {
    case 'process': {
      const want = (a.argv ?? [a.path ?? '']).join('\x01');
      return `for p in /proc/[0-9]*; do c=$(tr '\\000' '\\001' < $p/cmdline 2>/dev/null); [ "$c" = ${q(want + '\x01')} ] && exit 0; done; exit 1`;
    }
    case 'file':
      return a.sha256 ? `[ "$(sha256sum < ${q(a.path)} | cut -d' ' -f1)" = ${q(a.sha256)} ]` : `test -e ${q(a.path)}`;
    case 'cron-line':
    case 'preload':
    case 'hosts-entry':
      return `grep -Fxq -- ${q(a.line)} ${q(a.path)}`;
    case 'key':
    case 'unit':
      return `grep -Fq -- ${q(a.line ?? a.name)} ${q(a.path)}`;
    case 'account':
      return `[ "$(getent passwd ${q(a.name)} | cut -d: -f3)" = ${q(String(a.uid))} ]`;
    case 'renamed-binary':
      return `test -x ${q(a.original)} && head -1 ${q(a.path)} | grep -q '^#!'`;
    case 'immutable':
      return `lsattr -d ${q(a.path)} | cut -d' ' -f1 | grep -q i`;
    case 'firewall-rule':
      return `iptables -S INPUT | grep -Fxq -- ${q(a.line)}`;
    case 'redis':
      return `[ "$(redis-cli -h ${q(address)} -p ${q(String(a.port))} ping)" = PONG ]`;
    case 'connection': {
      const [ip, port] = (a.remote ?? '').split(':');
      return `for i in $(seq 1 30); do [ -n "$(ss -Htn state established dst ${q(`${ip}:${port}`)})" ] && exit 0; sleep 0.5; done; exit 1`;
    }
    default:
      return null;
  }
}

async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | null>): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== null) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

describe.skipIf(skip)('lab', () => {
  let lab: LabHandle;
  beforeAll(async () => {
    await labDown();
    lab = await getLab();
  });
  afterAll(async () => {
    await labDown();
  });

  it('hosts answer the system ssh client with the lab inventory: distinct names and keys, own processes and files', async () => {
    const inv = parse(fs.readFileSync(lab.inventoryPath, 'utf8')) as { all: { vars: Record<string, string>; hosts: Record<string, { ansible_host: string }> } };
    const vars = inv.all.vars;
    const visible = lab.groundTruth.hosts.filter((h) => !h.hidden);
    expect(Object.keys(inv.all.hosts).sort()).toEqual(lab.groundTruth.hosts.map((h) => h.name).sort());
    const seen = await Promise.all(visible.map(async (h) => {
      const args = ['-n', '-o', 'BatchMode=yes', '-i', vars.ansible_ssh_private_key_file!, ...vars.ansible_ssh_common_args!.split(' '),
        `${vars.ansible_user}@${inv.all.hosts[h.name]!.ansible_host}`,
        `hostname; cat /etc/ssh/ssh_host_ed25519_key.pub | cut -d' ' -f2; ls /proc | grep -c '^[0-9]'; touch /root/mine-${h.name}; ls /root | grep -c '^mine-'; ip route | grep -c default; true`];
      const r = await run('ssh', args);
      expect(r.code, `${h.name}: ${r.stderr}`).toBe(0);
      const [name, key, procs, mine, defaults] = r.stdout.trim().split('\n');
      return { host: h.name, name, key, procs: Number(procs), mine: Number(mine), defaults: Number(defaults) };
    }));
    for (const s of seen) {
      expect(s.name).toBe(s.host);
      expect(s.procs).toBeLessThan(40);
      expect(s.mine).toBe(1);
      expect(s.defaults).toBe(0);
    }
    expect(new Set(seen.map((s) => s.key)).size).toBe(seen.length);
    const known = fs.readFileSync(lab.knownHostsPath, 'utf8');
    for (const s of seen) expect(known).toContain(s.key!);
  });

  it('hidden hosts are reached only through the bastion', async () => {
    const hidden = lab.groundTruth.hosts.filter((h) => h.hidden);
    expect(hidden.length).toBe(2);
    for (const h of hidden) {
      const r = await run('ssh', ['-F', lab.sshConfigPath, h.name, 'hostname']);
      expect(r.stdout.trim(), r.stderr).toBe(h.name);
      const direct = await run('ssh', ['-n', '-o', 'ConnectTimeout=2', '-F', lab.sshConfigPath, '-o', 'ProxyJump=none', h.name, 'true']);
      expect(direct.code).not.toBe(0);
    }
  });

  it('deploy (sudo NOPASSWD) and ops (sudo with password) become root', async () => {
    const d = await run('ssh', ['-n', '-F', lab.sshConfigPath, 'deploy@h01', 'sudo -n id -u']);
    expect(d.stdout.trim(), d.stderr).toBe('0');
    const ops = await new Promise<string>((resolve) => {
      const c = execFile('ssh', ['-F', lab.sshConfigPath, 'ops@h01', 'sudo -S -p "" id -u'], { encoding: 'utf8' }, (_e, out) => resolve(out));
      c.stdin?.end(lab.groundTruth.users.ops.password + '\n');
    });
    expect(ops.trim()).toBe('0');
    const noPw = await run('ssh', ['-n', '-F', lab.sshConfigPath, 'ops@h01', 'sudo -n id -u']);
    expect(noPw.code).not.toBe(0);
  });

  it('every scenario is present with all its planted artifacts', async () => {
    const scenarios = new Set(lab.groundTruth.hosts.map((h) => h.scenario));
    for (const s of ['clean', 'clean-busy', 'redis', 'ddg', 'kinsing', 'outlaw', 'cleanfda', 'aliyunduns', 'skidmap', 'hostile', 'pivot']) expect(scenarios).toContain(s);
    const failures: string[] = [];
    await Promise.all(lab.groundTruth.hosts.map(async (h) => {
      for (const a of h.artifacts) {
        const check = artifactCheck(a, h.address);
        if (!check) continue;
        const r = await lab.exec(h.name, check);
        if (r.code !== 0) failures.push(`${h.name} (${h.scenario}): ${a.kind} ${a.path ?? ''} ${a.line ?? a.argv?.join(' ') ?? a.remote ?? ''} ${r.stderr}`);
      }
    }));
    expect(failures.join('\n')).toBe('');
    const hostile = lab.hostsByScenario('hostile')[0]!;
    expect((await lab.exec(hostile.name, 'test -e /tmp/pwned')).code).toBe(1);
    const clean = lab.hostsByScenario('clean')[0]!;
    expect((await lab.exec(clean.name, 'pgrep -x minerd || pgrep -x wnTKYg || pgrep -x kdevtmpfsi')).code).toBe(1);
  });

  it('miners of different families have distinct hashes; the pivot host runs the redis miner under another name', () => {
    const hashes = new Map<string, string>();
    for (const h of lab.groundTruth.hosts) for (const a of h.artifacts) if (a.kind === 'process' && a.sha256 && a.note && !a.legitimate && !a.pivotOnly) hashes.set(a.note, a.sha256);
    expect(new Set(hashes.values()).size).toBe(hashes.size);
    const pivot = lab.hostsByScenario('pivot')[0]!.artifacts.find((a) => a.kind === 'process')!;
    const redisMiner = lab.hostsByScenario('redis')[0]!.artifacts.find((a) => a.kind === 'process')!;
    expect(pivot.sha256).toBe(redisMiner.sha256);
  });

  it('a killed miner comes back: from its watchdog within seconds, from cron within a minute', async () => {
    const ddg = lab.hostsByScenario('ddg')[0]!;
    const pidOf = async (name: string): Promise<number | null> => {
      const r = await lab.exec(ddg.name, `pgrep -x ${name}`);
      return r.code === 0 ? Number(r.stdout.trim().split('\n')[0]) : null;
    };
    const before = await waitFor('wnTKYg', 10_000, () => pidOf('wnTKYg'));
    await lab.exec(ddg.name, `kill -KILL ${before}`);
    const again = await waitFor('wnTKYg respawned by ddg.2021', 15_000, async () => {
      const p = await pidOf('wnTKYg');
      return p && p !== before ? p : null;
    });
    expect(again).not.toBe(before);
    // Now the watchdog too: only the cron line (curl|sh of the pool's i.sh) can bring them back.
    await lab.exec(ddg.name, 'pkill -KILL -x ddg.2021; pkill -KILL -x wnTKYg; true');
    expect(await pidOf('ddg.2021')).toBeNull();
    await waitFor('ddg.2021 respawned by cron', 75_000, () => pidOf('ddg.2021'));
    await waitFor('wnTKYg respawned', 15_000, () => pidOf('wnTKYg'));
    // PID 1 of each host reaps what it adopts: no zombies pile up.
    const zombies = await lab.exec(ddg.name, "grep -l '^State:.Z' /proc/[0-9]*/status 2>/dev/null | wc -l");
    expect(Number(zombies.stdout.trim())).toBe(0);
  });

  it('lab down removes every namespace, link, mount, process and file, and can run twice', async () => {
    const { netnsPrefix, ifacePrefix } = labNames(LAB_TEST_DIR);
    await labDown();
    await labDown();
    const netns = (await run('ip', ['netns', 'list'])).stdout;
    expect(netns).not.toContain(netnsPrefix);
    const links = (await run('ip', ['-o', 'link', 'show'])).stdout;
    expect(links).not.toContain(ifacePrefix);
    expect(fs.readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(LAB_TEST_DIR);
    const procs = fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
      try {
        return fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(LAB_TEST_DIR);
      } catch {
        return false;
      }
    });
    expect(procs.map((p) => `${p}: ${fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').replace(/\0/g, ' ')}`)).toEqual([]);
    expect(fs.existsSync(LAB_TEST_DIR)).toBe(false);
  });
});
