import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cli, execAll, labFor, snapshot } from './remediate-helpers.js';
import type { RunRecord, TaskRecord } from '../../src/run/types.js';

// harden on the shared lab (issue 6 "Done when"): before, another lab host can CONFIG SET
// dir on the exposed Redis without a password; refusals touch nothing; after --apply the
// Redis refuses unauthenticated access, takes its password locally, is not root, the
// world-open 6380 rule is gone; rogue keys gone, authorized_keys immutable, sshd -t passes,
// password login refused, the controller logs in fresh; a second --apply changes nothing.

let inv: string;
let runs: string;
const hk = ['--host-key-checking', 'accept-new'];
const runDirOf = (out: string) => /^run: (.+)$/m.exec(out)?.[1]?.trim() ?? '';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

beforeAll(async () => {
  const lab = await labFor();
  inv = lab.inventoryPath;
  runs = mkdtempSync(path.join(tmpdir(), 'ms-e2e-harden-'));
});

describe('harden on the lab', () => {
  let redisHost = '';
  let redisAddr = '';
  let other = '';
  let controllerAddr = '';

  it('before: another lab host can CONFIG SET dir on the exposed Redis without a password', () => {
    const where = execAll(inv, "ss -ltnH 2>/dev/null | awk '{print $4}' | grep -q ':6380$' && echo REDIS; echo \"ADDR ${SSH_CONNECTION%% *} $(echo $SSH_CONNECTION | cut -d' ' -f3)\"; command -v redis-cli >/dev/null && echo CLI; true");
    for (const [h, r] of where) {
      const m = /ADDR (\S+) (\S+)/.exec(r.stdout);
      if (m) controllerAddr = m[1]!;
      if (r.stdout.includes('REDIS') && !redisHost) { redisHost = h; redisAddr = m![2]!; }
    }
    expect(redisHost, 'a lab host with Redis on 6380').toBeTruthy();
    other = [...where].find(([h, r]) => h !== redisHost && r.stdout.includes('CLI'))![0];
    // Redis 7 protects `dir` unless enable-protected-configs is set: the command is still
    // accepted without a password (OK, or the protected-config error — never NOAUTH)
    const r = execAll(inv, `timeout 10 redis-cli -h ${redisAddr} -p 6380 CONFIG SET dir /tmp; timeout 10 redis-cli -h ${redisAddr} -p 6380 CONFIG GET dir`, other).get(other)!;
    expect(r.stdout).toMatch(/^(OK|ERR CONFIG SET failed \(possibly related to argument 'dir'\).*)$/m);
    expect(r.stdout).toMatch(/^dir$/m);
    expect(r.stdout).not.toMatch(/NOAUTH/);
  });

  it('check mode and refused plans change nothing', () => {
    const before = snapshot(inv);
    const check = cli(['harden', '-i', inv, '--out', runs, ...hk]);
    expect(check.stdout).toMatch(/check mode: nothing changed/);
    const extra = path.join(runs, 'refuse.yml');
    writeFileSync(extra, `all:\n  vars:\n    harden_block_addresses: ['${controllerAddr}']\n    ssh_allowed_keys: ['SHA256:notthecontrollerkeyAAAAAAAAAAAAAAAAAAAAAAAAAA']\n`);
    const refused = cli(['harden', '-i', inv, '-i', extra, '--apply', '--out', runs, ...hk]);
    expect(refused.code).toBe(3);
    expect(refused.stdout).toMatch(/refused, nothing touched: firewall var blocks/);
    expect(refused.stdout).toMatch(/would drop the key the controller logs in with/);
    const after = snapshot(inv);
    for (const [h, b] of before) {
      expect(Object.fromEntries(after.get(h)!.files), h).toEqual(Object.fromEntries(b.files));
      expect(after.get(h)!.iptables, h).toEqual(b.iptables);
    }
  });

  it('minesweep run playbooks/harden-ssh.yml hands ssh_allowed_keys to authorized_key (check mode, one host)', () => {
    const pb = path.resolve(import.meta.dirname, '../../playbooks/harden-ssh.yml');
    const before = execAll(inv, 'sha256sum < /root/.ssh/authorized_keys', other).get(other)!.stdout;
    const r = cli(['run', pb, '-i', inv, '--limit', other, '-e', '{"ssh_allowed_keys": ["SHA256:notthecontrollerkeyAAAAAAAAAAAAAAAAAAAAAAAAAA"]}', '--out', runs, ...hk]);
    expect(r.stdout + r.stderr).toMatch(/would drop the key the controller logs in with/);
    expect(execAll(inv, 'sha256sum < /root/.ssh/authorized_keys', other).get(other)!.stdout).toBe(before);
  });

  it('harden and minesweep run playbooks/harden-*.yml plan the same steps and diffs (check mode, the Redis host)', () => {
    const host = redisHost;
    const h = cli(['harden', '-i', inv, '--limit', host, '--out', runs, ...hk]);
    expect(h.code, h.stdout + h.stderr).toBe(0);
    type Planned = { area: string; description: string; diff?: string };
    const viaHarden = (JSON.parse(readFileSync(path.join(runDirOf(h.stdout), 'plans', `${host}.json`), 'utf8')) as { steps: Planned[] }).steps.map((x) => [x.area, x.description, x.diff ?? null]);
    // the pool/C2 addresses harden took from the last sweep go to `run` as the same variable
    const from = /^blocking egress to \d+ pool\/C2 address\(es\) from (.+)$/m.exec(h.stdout)?.[1]?.trim();
    const addresses = from ? [...new Set((JSON.parse(readFileSync(path.join(from, 'run.json'), 'utf8')) as RunRecord).iocs.filter((i) => i.type === 'ip').map((i) => i.value))] : [];
    const viaRun: unknown[][] = [];
    for (const area of ['ssh', 'firewall', 'redis']) {
      const r = cli(['run', path.resolve(import.meta.dirname, `../../playbooks/harden-${area}.yml`), '-i', inv, '--limit', host, '-e', JSON.stringify({ harden_sweep_addresses: addresses }), '--out', runs, ...hk]);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      const dir = path.dirname(/^run record: (.+?)( \(check mode.*)?$/m.exec(r.stdout)![1]!.trim());
      for (const t of (JSON.parse(readFileSync(path.join(dir, 'run.json'), 'utf8')) as RunRecord).hosts.find((x) => x.name === host)!.tasks)
        for (const st of t.steps) if (st.command !== undefined) viaRun.push([area, st.description, st.diff ?? null]);
    }
    expect(viaHarden.map(([a]) => a)).toEqual(expect.arrayContaining(['ssh', 'firewall', 'redis']));
    expect(viaRun).toEqual(viaHarden);
  });

  let runDir = '';
  let password = '';
  it('--apply closes Redis, the firewall and SSH; the controller still logs in', () => {
    const r = cli(['harden', '-i', inv, '--apply', '--out', runs, ...hk]);
    runDir = runDirOf(r.stdout);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const secrets = filesUnder(path.join(runDir, 'secrets'));
    const secret = secrets.find((f) => f.includes(redisHost) && f.endsWith('-6380.txt'))!;
    expect(statSync(secret).mode & 0o777).toBe(0o600);
    password = readFileSync(secret, 'utf8').trim();
    expect(password.length).toBeGreaterThanOrEqual(24);
    // the password is nowhere else: console, run directory
    expect(r.stdout + r.stderr).not.toContain(password);
    for (const f of filesUnder(runDir)) if (!f.startsWith(path.join(runDir, 'secrets'))) expect(readFileSync(f, 'latin1'), f).not.toContain(password);

    const fromOther = execAll(inv, `timeout 10 redis-cli -h ${redisAddr} -p 6380 CONFIG SET dir /tmp 2>&1; timeout 10 redis-cli -h ${redisAddr} -p 6380 CONFIG GET dir 2>&1; true`, other).get(other)!;
    expect(fromOther.stdout).not.toMatch(/^(OK|dir)$/m);
    expect(fromOther.stdout).not.toMatch(/possibly related to argument/);
    const local = execAll(inv, `REDISCLI_AUTH=${password} redis-cli --no-auth-warning -h 127.0.0.1 -p 6380 ping; redis-cli -h 127.0.0.1 -p 6380 ping 2>&1; for p in $(pgrep -x redis-server); do awk '/^Uid:/{print "UID", $2}' /proc/$p/status; done; iptables -w -S INPUT`, redisHost).get(redisHost)!;
    expect(local.stdout).toMatch(/^PONG$/m);
    expect(local.stdout).toMatch(/NOAUTH|Authentication required/);
    expect(local.stdout).not.toMatch(/^UID 0$/m);
    expect(local.stdout).not.toMatch(/^-A INPUT -p tcp -m tcp --dport 6380 -j ACCEPT$/m);

    const ssh = execAll(inv, "lsattr -d /root/.ssh/authorized_keys | cut -c1-20; stat -c %a /root/.ssh/authorized_keys; wc -l < /root/.ssh/authorized_keys; $(command -v sshd || echo /usr/sbin/sshd) -t && echo SSHD-T-OK");
    for (const [h, x] of ssh) {
      expect(x.stdout, h).toMatch(/i/);
      expect(x.stdout, h).toMatch(/^400$/m);
      expect(x.stdout, h).toContain('SSHD-T-OK');
    }
    const sweep = cli(['sweep', '-i', inv, '--json', '--out', runs, ...hk]);
    expect(sweep.stdout).not.toMatch(/"type":"authorized-key"/);
    const ping = cli(['ping', '-i', inv, ...hk]);
    expect(ping.code, ping.stdout).toBe(0);
    // password login is not offered any more
    const pw = spawnSync('ssh', ['-o', 'BatchMode=yes', '-o', 'PubkeyAuthentication=no', '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'ConnectTimeout=5', `root@${redisAddr}`, 'true'], { encoding: 'utf8' });
    expect(pw.status).not.toBe(0);
    expect(pw.stderr).toMatch(/Permission denied \(publickey\)/);
  });

  it('a second --apply changes nothing', () => {
    const r = cli(['harden', '-i', inv, '--apply', '--out', runs, ...hk]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/harden: 0 host\(s\) changed/);
  });

  it('an AllowUsers that shuts the controller out is refused in the plan: sshd_config untouched', () => {
    const host = other;
    const extra = path.join(runs, 'allowusers.yml');
    writeFileSync(extra, `all:\n  hosts:\n    ${host}:\n      sshd_options:\n        AllowUsers: nobody-at-all\n`);
    const before = execAll(inv, 'sha256sum < /etc/ssh/sshd_config', host).get(host)!.stdout;
    const r = cli(['harden', '-i', inv, '-i', extra, '--limit', host, '--tags', 'ssh', '--apply', '--out', runs, ...hk]);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/refused, nothing touched: sshd_config: AllowUsers nobody-at-all would shut out root@/);
    expect(execAll(inv, 'sha256sum < /etc/ssh/sshd_config', host).get(host)!.stdout).toBe(before);
  });

  let lockoutRun = '';
  it('an sshd_config that would lock the controller out is put back at once (lockout guard)', () => {
    const host = other;
    expect(host).toBeTruthy();
    // what no plan-time guard can see: the controller's ed25519 key is no longer an accepted algorithm
    const extra = path.join(runs, 'lockout.yml');
    writeFileSync(extra, `all:\n  hosts:\n    ${host}:\n      sshd_options:\n        PubkeyAcceptedAlgorithms: rsa-sha2-512\n`);
    const r = cli(['harden', '-i', inv, '-i', extra, '--limit', host, '--tags', 'ssh', '--apply', '--out', runs, ...hk]);
    lockoutRun = runDirOf(r.stdout);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/fresh login FAILED: previous sshd_config restored, login works again/);
    const after = execAll(inv, 'grep -c "^PubkeyAcceptedAlgorithms" /etc/ssh/sshd_config || true', host).get(host)!;
    expect(after.rc).toBe(0); // a new connection logs in
    expect(after.stdout.trim()).toBe('0');
  });

  // the same guard through the engine: `minesweep run playbooks/harden-ssh.yml --apply`
  const pb = path.resolve(import.meta.dirname, '../../playbooks/harden-ssh.yml');
  const tasksOf = (dir: string, h: string) => (JSON.parse(readFileSync(path.join(dir, 'run.json'), 'utf8')) as RunRecord).hosts.find((x) => x.name === h)!.tasks;
  const guardSteps = (t: TaskRecord | undefined) => (t?.steps ?? []).filter((s) => /fresh SSH login|no fresh login/.test(s.description)).map((s) => [s.description, s.status]);

  it('minesweep run harden-ssh.yml --apply: the lockout guard puts sshd_config back, as harden does', () => {
    const host = other;
    const r = cli(['run', pb, '-i', inv, '--limit', host, '--apply', '-e', '{"sshd_options": {"PubkeyAcceptedAlgorithms": "rsa-sha2-512"}}', '--out', runs, ...hk]);
    expect(r.code, r.stdout + r.stderr).toBe(3);
    const dir = path.dirname(/^run record: (.+)$/m.exec(r.stdout)![1]!.trim());
    const viaRun = tasksOf(dir, host).find((t) => t.module === 'sshd_config');
    const viaHarden = tasksOf(lockoutRun, host).find((t) => t.play === 'harden-ssh');
    expect(viaRun?.status).toBe('failed');
    expect(viaRun?.message).toMatch(/previous state was put back and login works again/);
    expect(guardSteps(viaRun)).toEqual(guardSteps(viaHarden));
    expect(guardSteps(viaRun).map(([, st]) => st)).toEqual(['failed', 'changed', 'ok']);
    expect(guardSteps(viaRun)[2]).toEqual(['a fresh SSH login works with the previous sshd_config', 'ok']);
    const after = execAll(inv, 'grep -c "^PubkeyAcceptedAlgorithms" /etc/ssh/sshd_config || true', host).get(host)!;
    expect(after.rc).toBe(0);
    expect(after.stdout.trim()).toBe('0');
  });

  it('minesweep run harden-ssh.yml --apply with ssh_allowed_keys keeps an allowed key, drops a rogue one, checks a fresh login', () => {
    const host = other;
    const tmp = mkdtempSync(path.join(tmpdir(), 'ms-e2e-keys-'));
    const keyOf = (name: string) => {
      spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', path.join(tmp, name)]);
      const fp = spawnSync('ssh-keygen', ['-lf', path.join(tmp, `${name}.pub`)], { encoding: 'utf8' }).stdout.split(' ')[1]!;
      return { pub: readFileSync(path.join(tmp, `${name}.pub`), 'utf8').trim(), fp };
    };
    const allowed = keyOf('allowed-ops');
    // the allowlist names the controller's key too (a list without it is refused)
    const keyFile = /ansible_ssh_private_key_file: (\S+)/.exec(readFileSync(inv, 'utf8'))![1]!;
    const controllerFp = spawnSync('ssh-keygen', ['-lf', `${keyFile}.pub`], { encoding: 'utf8' }).stdout.split(' ')[1]!;
    const rogue = keyOf('rogue');
    const add = execAll(inv, `f=/root/.ssh/authorized_keys; chattr -i $f && chmod 600 $f && printf '%s\n%s\n' '${allowed.pub}' '${rogue.pub}' >> $f && echo ADDED`, host).get(host)!;
    expect(add.stdout).toContain('ADDED');
    const r = cli(['run', pb, '-i', inv, '--limit', host, '--apply', '-e', JSON.stringify({ ssh_allowed_keys: [controllerFp, allowed.fp] }), '--out', runs, ...hk]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const dir = path.dirname(/^run record: (.+)$/m.exec(r.stdout)![1]!.trim());
    const keys = tasksOf(dir, host).find((t) => t.module === 'authorized_key');
    expect(keys?.status).toBe('changed');
    expect(guardSteps(keys)).toEqual([['a fresh SSH login works after reducing authorized_keys', 'ok']]);
    const now = execAll(inv, 'cat /root/.ssh/authorized_keys; lsattr -d /root/.ssh/authorized_keys | cut -c1-20; stat -c %a /root/.ssh/authorized_keys', host).get(host)!;
    expect(now.stdout).toContain('allowed-ops');
    expect(now.stdout).not.toContain('rogue');
    expect(now.stdout).toMatch(/^400$/m);
    expect(now.stdout.split('\n').find((l) => /^-/.test(l))).toMatch(/i/);

    // the same allowlist through `minesweep harden` (an inventory var): the same keys left, the same task result
    const rogue2 = keyOf('rogue2');
    expect(execAll(inv, `f=/root/.ssh/authorized_keys; chattr -i $f && chmod 600 $f && printf '%s\n' '${rogue2.pub}' >> $f && echo ADDED`, host).get(host)!.stdout).toContain('ADDED');
    const extra = path.join(runs, 'allowed-keys.yml');
    writeFileSync(extra, `all:\n  hosts:\n    ${host}:\n      ssh_allowed_keys: ['${controllerFp}', '${allowed.fp}']\n`);
    const h = cli(['harden', '-i', inv, '-i', extra, '--limit', host, '--tags', 'ssh', '--apply', '--out', runs, ...hk]);
    expect(h.code, h.stdout + h.stderr).toBe(0);
    const viaHarden = tasksOf(runDirOf(h.stdout), host).find((t) => t.module === 'authorized_key');
    expect([viaHarden?.status, guardSteps(viaHarden)]).toEqual([keys?.status, guardSteps(keys)]);
    const again = execAll(inv, 'cat /root/.ssh/authorized_keys; lsattr -d /root/.ssh/authorized_keys | cut -c1-20; stat -c %a /root/.ssh/authorized_keys', host).get(host)!;
    expect(again.stdout).toBe(now.stdout);
  });
});
