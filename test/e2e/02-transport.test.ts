import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { getLab, labSkipReason, type LabHandle } from '../helpers/lab.js';
import { validHostLines } from '../helpers/jsonl.js';
import { loadInventory, selectHosts } from '../../src/inventory/index.js';
import { loadResolveEnv } from '../../src/transport/env.js';
import { runFleet } from '../../src/transport/fleet.js';
import { buildTarget } from '../../src/transport/target.js';

// Transport on the real lab, through the CLI (dist/cli.js): ping/exec everywhere, a stopped
// sshd, a changed host key and accept-new, hidden hosts behind the bastion, sudo (NOPASSWD
// and with a password), a hung command. Every change to the shared lab is undone.

const root = path.resolve(__dirname, '../..');
const cli = path.join(root, 'dist', 'cli.js');

interface Run {
  command: string;
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}
function ms(args: string[], o: { env?: Record<string, string>; cwd?: string } = {}): Promise<Run> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: o.cwd ?? tmp, env: { ...process.env, ...o.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ command: args[0]!, code, stdout, stderr, ms: Date.now() - t0 }));
  });
}
type Line = { host: string; status: string; reason?: string; output?: { rc: number | null; stdout: string; stderr: string; timedOut: boolean }; durationMs?: number };
/** The host lines of a --json run, once its whole stream validated (schema, run line first, summary last with the exit code). */
const lines = (r: Pick<Run, 'command' | 'code' | 'stdout'>): Line[] => validHostLines(r) as unknown as Line[];
const byHost = (r: Pick<Run, 'command' | 'code' | 'stdout'>): Map<string, Line> => new Map(lines(r).map((l) => [l.host, l]));

let lab: LabHandle;
let inv: string;
let tmp: string;
let visible: string[];
let hidden: string[];

describe.skipIf(labSkipReason())('transport on the lab', () => {
  beforeAll(async () => {
    lab = await getLab();
    inv = lab.inventoryPath;
    tmp = mkdtempSync(path.join(os.tmpdir(), 'ms-e2e-transport-'));
    visible = lab.groundTruth.hosts.filter((h) => !h.hidden).map((h) => h.name);
    hidden = lab.groundTruth.hosts.filter((h) => h.hidden).map((h) => h.name);
  });
  afterAll(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('ping and exec reach every host, hidden ones included', async () => {
    const ping = await ms(['ping', '-i', inv, '--json']);
    const res = lines(ping);
    expect(res.map((r) => r.host).sort()).toEqual(lab.groundTruth.hosts.map((h) => h.name).sort());
    expect(res.filter((r) => r.status !== 'ok')).toEqual([]);
    expect(ping.code).toBe(0);
    const exec = await ms(['exec', '-i', inv, '--json', 'echo "$(id -u) $SSH_CONNECTION"']);
    expect(exec.code).toBe(0);
    const out = byHost(exec);
    for (const h of lab.groundTruth.hosts) {
      const r = out.get(h.name)!;
      expect(r.status, h.name).toBe('ok');
      const [uid, client, , server] = r.output!.stdout.trim().split(' ');
      expect(uid).toBe('0');
      expect(server).toBe(h.address);
      // visible hosts see the controller; hidden ones see the bastion, never the controller
      if (h.hidden) expect(client).not.toBe(lab.groundTruth.lab.controllerAddress);
      else expect(client).toBe(lab.groundTruth.lab.controllerAddress);
    }
  });

  it('the terminal output is grouped per host and escapes remote control characters', async () => {
    const r = await ms(['exec', '-i', inv, '--limit', visible[0]!, `printf 'a\\033[2Jb\\n'`]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${visible[0]} | OK | rc=0`);
    expect(r.stdout).toContain('a\\e[2Jb');
    expect(r.stdout).not.toContain('\x1b');
  });

  it('hidden hosts are not routable without the bastion', async () => {
    const h = lab.host(hidden[0]!);
    const direct = path.join(tmp, 'direct.yml');
    writeFileSync(direct, `all:\n  hosts:\n    ${h.name}:\n      ansible_host: ${h.address}\n      ansible_user: root\n      ansible_ssh_private_key_file: ${lab.privateKeyPath}\n`);
    const r = await ms(['ping', '-i', direct, '--known-hosts', lab.knownHostsPath, '--connect-timeout', '3', '--json']);
    expect(lines(r)[0]!.status).toBe('unreachable');
    expect(r.code).toBe(4);
  });

  it('a host with sshd stopped is unreachable while the rest succeed; the failed-hosts file retries it', async () => {
    const victim = visible[1]!;
    await lab.stopSshd(victim);
    try {
      const r = await ms(['exec', '-i', inv, '--json', 'true']);
      const res = byHost(r);
      expect(res.get(victim)!.status).toBe('unreachable');
      expect(res.get(victim)!.reason).toMatch(/refused|no SSH answer/);
      for (const h of lab.groundTruth.hosts) if (h.name !== victim) expect(res.get(h.name)!.status, h.name).toBe('ok');
      expect(r.code).toBe(4);
      expect(readFileSync(path.join(tmp, 'minesweep.failed'), 'utf8')).toBe(`${victim}\n`);
    } finally {
      await lab.startSshd(victim);
    }
    const again = await ms(['exec', '-i', inv, '--limit', `@${path.join(tmp, 'minesweep.failed')}`, '--json', 'true']);
    expect(lines(again).map((l) => [l.host, l.status])).toEqual([[victim, 'ok']]);
    expect(again.code).toBe(0);
  });

  it('a changed host key is refused with the fix (accept-new too); after the fix accept-new pins the new key', async () => {
    const victim = lab.host(visible[2]!);
    const kh = path.join(tmp, 'known_hosts.changed');
    copyFileSync(lab.knownHostsPath, kh);
    await lab.exec(victim.name, 'cp -p /etc/ssh/ssh_host_ed25519_key /root/.ms-saved-hostkey && cp -p /etc/ssh/ssh_host_ed25519_key.pub /root/.ms-saved-hostkey.pub');
    try {
      const newKey = await lab.regenerateHostKey(victim.name);
      for (const policy of ['strict', 'accept-new']) {
        const r = await ms(['ping', '-i', inv, '--limit', victim.name, '--known-hosts', kh, '--host-key-checking', policy, '--json']);
        const l = lines(r)[0]!;
        expect(l.status).toBe('unreachable');
        expect(l.reason).toContain('HOST KEY CHANGED');
        expect(l.reason).toContain(`ssh-keygen -R '${victim.address}' -f '${kh}'`);
        expect(r.code).toBe(4);
      }
      execFileSync('ssh-keygen', ['-R', victim.address, '-f', kh], { stdio: 'ignore' });
      const strict = await ms(['ping', '-i', inv, '--limit', victim.name, '--known-hosts', kh, '--json']);
      expect(lines(strict)[0]!.reason).toMatch(/unknown .* host key checking is strict/);
      const pin = await ms(['ping', '-i', inv, '--limit', victim.name, '--known-hosts', kh, '--host-key-checking', 'accept-new', '--json']);
      expect(lines(pin)[0]!.status).toBe('ok');
      expect(pin.stderr).toContain('pinned new host key');
      // pinned under the address, hashed when ssh config says HashKnownHosts yes (Debian's /etc/ssh/ssh_config does)
      expect(readFileSync(kh, 'utf8')).toMatch(new RegExp(`^(${victim.address.replace(/\./g, '\\.')}|\\|1\\|\\S+) ${newKey.split(' ').slice(0, 2).join(' ').replace(/[+/]/g, '\\$&')}$`, 'm'));
      const after = await ms(['ping', '-i', inv, '--limit', victim.name, '--known-hosts', kh, '--json']);
      expect(lines(after)[0]!.status).toBe('ok');
    } finally {
      await lab.exec(victim.name, 'mv -f /root/.ms-saved-hostkey /etc/ssh/ssh_host_ed25519_key && mv -f /root/.ms-saved-hostkey.pub /etc/ssh/ssh_host_ed25519_key.pub && kill -HUP $(cat /run/sshd.pid)');
      await new Promise((r) => setTimeout(r, 300));
    }
    const restored = await ms(['ping', '-i', inv, '--limit', victim.name, '--json']);
    expect(lines(restored)[0]!.status).toBe('ok');
  });

  it('accept-new pins every host (bastion and hidden ones too) into a fresh known_hosts; strict then passes', async () => {
    const kh = path.join(tmp, 'known_hosts.fresh');
    const strict = await ms(['ping', '-i', inv, '--known-hosts', kh, '--json']);
    expect(lines(strict).every((l) => l.status === 'unreachable')).toBe(true);
    const pin = await ms(['ping', '-i', inv, '--known-hosts', kh, '--host-key-checking', 'accept-new', '--json']);
    expect(lines(pin).filter((l) => l.status !== 'ok')).toEqual([]);
    expect(readFileSync(kh, 'utf8').trim().split('\n')).toHaveLength(lab.groundTruth.hosts.length);
    const again = await ms(['ping', '-i', inv, '--known-hosts', kh, '--json']);
    expect(again.code).toBe(0);
    const off = await ms(['ping', '-i', inv, '--limit', visible[0]!, '--known-hosts', path.join(tmp, 'none'), '--host-key-checking', 'off']);
    expect(off.code).toBe(0);
    expect(off.stderr).toContain('host key checking is OFF');
  });

  describe('become', () => {
    let users: string;
    const password = (): string => lab.groundTruth.users.ops.password;
    beforeAll(() => {
      users = path.join(tmp, 'users.yml');
      const [a, b] = [lab.host(visible[0]!), lab.host(visible[1]!)];
      writeFileSync(
        users,
        [
          'all:',
          '  vars:',
          `    ansible_ssh_private_key_file: ${lab.groundTruth.users.deploy.key}`,
          `    ansible_ssh_common_args: -o UserKnownHostsFile=${lab.knownHostsPath}`,
          '  hosts:',
          `    deploy-a: { ansible_host: ${a.address}, ansible_user: deploy }`,
          `    ops-b: { ansible_host: ${b.address}, ansible_user: ops }`,
          '',
        ].join('\n'),
      );
    });

    it('deploy (NOPASSWD) and ops (password from the environment) run as root; the password is never shown', async () => {
      const r = await ms(['exec', '-i', users, '--become', '--json', 'id -u; id -un'], { env: { MINESWEEP_BECOME_PASSWORD: password() } });
      const res = byHost(r);
      expect(res.get('deploy-a')!.output!.stdout).toBe('0\nroot\n');
      expect(res.get('ops-b')!.output!.stdout).toBe('0\nroot\n');
      expect(r.code).toBe(0);
      expect(r.stdout + r.stderr).not.toContain(password());
      const text = await ms(['ping', '-i', users, '--become'], { env: { MINESWEEP_BECOME_PASSWORD: password() } });
      expect(text.stdout).toMatch(/deploy-a \| OK \| deploy@.* sudo=root/);
      expect(text.stdout).toMatch(/ops-b \| OK \| ops@.* sudo=root/);
      expect(text.stdout + text.stderr).not.toContain(password());
    });

    it('without the password ops fails with the fix, deploy still succeeds; a wrong password is named as such', async () => {
      const none = await ms(['exec', '-i', users, '--become', '--json', 'id -u'], { env: { MINESWEEP_BECOME_PASSWORD: '' } });
      // an empty MINESWEEP_BECOME_PASSWORD is a (wrong) password; without any, sudo's prompt is reported
      expect(byHost(none).get('deploy-a')!.status).toBe('ok');
      const noEnv = { ...process.env };
      delete noEnv['MINESWEEP_BECOME_PASSWORD'];
      const missing = await new Promise<Pick<Run, 'command' | 'code' | 'stdout'>>((resolve) => {
        const c = spawn(process.execPath, [cli, 'exec', '-i', users, '--become', '--json', 'id -u'], { cwd: tmp, env: noEnv, stdio: ['ignore', 'pipe', 'ignore'] });
        let out = '';
        c.stdout.on('data', (d: Buffer) => (out += d.toString()));
        c.on('close', (code) => resolve({ command: 'exec', code, stdout: out }));
      });
      expect(byHost(missing).get('ops-b')!.reason).toMatch(/sudo asks for a password: set ansible_become_password/);
      expect(byHost(missing).get('deploy-a')!.status).toBe('ok');
      const wrong = await ms(['exec', '-i', users, '--become', '--json', 'id -u'], { env: { MINESWEEP_BECOME_PASSWORD: 'wrong-password' } });
      const res = byHost(wrong);
      expect(res.get('deploy-a')!.status).toBe('ok');
      expect(res.get('ops-b')!.status).toBe('failed');
      expect(res.get('ops-b')!.reason).toMatch(/rejected the become password/);
      expect(wrong.code).toBe(3);
    });

    it('password login (no key, no agent) with the become password from the inventory', async () => {
      const pwInv = path.join(tmp, 'password.yml');
      const b = lab.host(visible[1]!);
      writeFileSync(pwInv, `all:\n  hosts:\n    ops-pw: { ansible_host: ${b.address}, ansible_user: ops, ansible_password: "${password()}", ansible_become_password: "${password()}" }\n`);
      const r = await ms(['exec', '-i', pwInv, '--known-hosts', lab.knownHostsPath, '--become', '--json', 'id -u'], { env: { HOME: tmp, SSH_AUTH_SOCK: '' } });
      expect(lines(r)[0]).toMatchObject({ host: 'ops-pw', status: 'ok', output: { rc: 0, stdout: '0\n' } });
      expect(r.stdout + r.stderr).not.toContain(password());
    });

    it('a script on stdin under sudo with a password (how the probe runs): password first, then the script', async () => {
      const invObj = await loadInventory([users]);
      const env = loadResolveEnv({ forks: 5 });
      const targets = await Promise.all(selectHosts(invObj, 'all').map((h) => buildTarget(h, env)));
      const results = await runFleet(
        targets,
        async (s) => {
          const r = await s.exec('sh -s', { stdin: 'id -u\nread line; echo "got $line"\n', become: true });
          return { status: r.code === 0 ? 'ok' : 'failed', value: r.stdout.toString() + r.stderr.toString() };
        },
        { forks: 5, becomePassword: password() },
      );
      for (const r of results) {
        expect(r.status, r.reason).toBe('ok');
        expect(r.value).toBe('0\ngot \n');
        expect(String(r.value)).not.toContain(password());
      }
    });
  });

  it('Session.put writes bytes exactly (mode, odd bytes); Session.controller() is the address each host sees', async () => {
    const invObj = await loadInventory([inv]);
    const env = loadResolveEnv({ forks: 5 });
    const names = [visible[0]!, hidden[0]!];
    const targets = await Promise.all(selectHosts(invObj, names.join(':')).map((h) => buildTarget(h, env)));
    const content = Buffer.concat([Buffer.from("line 1\n'quote' $(id)\n"), Buffer.from([0xff, 0x00, 0xc3, 0x28]), Buffer.from('\nend')]);
    const results = await runFleet(
      targets,
      async (s) => {
        await s.put('/tmp/ms put test', content, '0640');
        const c = await s.controller();
        const seen = (await s.exec('echo "$SSH_CONNECTION"')).stdout.toString().split(' ')[0];
        return { status: 'ok', value: { c, seen } };
      },
      { forks: 5 },
    );
    for (const r of results) {
      expect(r.status, r.reason).toBe('ok');
      expect(r.value!.c.address).toBe(r.value!.seen);
      expect(r.value!.c.sshPort).toBe(22);
      const check = await lab.exec(r.host, "stat -c %a '/tmp/ms put test'; od -An -tx1 '/tmp/ms put test' | tr -d ' \\n'; rm -f '/tmp/ms put test'");
      const [mode, hex] = check.stdout.split('\n');
      expect(mode).toBe('640');
      expect(hex).toBe(content.toString('hex'));
    }
    expect(results.find((r) => r.host === visible[0])!.value!.c.address).toBe(lab.groundTruth.lab.controllerAddress);
  });

  it('a hung command is cut at its timeout and nothing of it keeps running on the host', async () => {
    const victim = visible[0]!;
    const r = await ms(['exec', '-i', inv, '--limit', victim, '--timeout', '3', '--json', 'sleep 3001 & sleep 3002; echo never']);
    const l = lines(r)[0]!;
    expect(l.status).toBe('failed');
    expect(l.reason).toMatch(/timed out after 3s/);
    expect(l.output).toMatchObject({ stdout: '', timedOut: true });
    expect(r.ms).toBeLessThan(15_000);
    expect(r.code).toBe(3);
    const left = await lab.exec(victim, 'pgrep -f "sleep 300[12]" || true');
    expect(left.stdout.trim()).toBe('');
  });
});
