import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ControllerInfo } from '../../../src/actions/types.js';
import { phaseCommand } from '../../../src/engine/run-step.js';
import { hardenSshdConfig, SSHD_DEFAULTS, type SshdSettings } from '../../../src/harden/sshd-config.js';
import { sshdLockout, userEntryMatches } from '../../../src/harden/sshd-guard.js';
import { planSsh } from '../../../src/harden/ssh.js';
import { emptyFacts, textFile } from '../remediate/facts-fixture.js';

// The lockout guards of sshd_config changes, one test each: a change that could shut the
// controller out is refused in the plan, before anything is touched; one that keeps a
// listener on the controller's port and lets its user in passes.

const controller: ControllerInfo = { address: '198.18.23.1', sshPort: 22, hostAddress: '198.18.23.5', keyFingerprints: ['SHA256:ctl'], user: 'root' };
const base = 'Include /etc/ssh/sshd_config.d/*.conf\nPort 22\nPermitRootLogin yes\nMatch User backup\n  PasswordAuthentication yes\n';

function judge(settings: SshdSettings, content = base, who: ControllerInfo = controller): string | null {
  const next = hardenSshdConfig(content, { ...SSHD_DEFAULTS, ...settings });
  return sshdLockout(next, who, new Set(Object.keys(settings).map((k) => k.toLowerCase())));
}

describe('sshd lockout guard', () => {
  it('Port: moving sshd off the controller\'s port is refused; keeping it in the list passes', () => {
    expect(judge({ Port: '2222' })).toMatch(/Port 2222 would stop sshd listening on port 22/);
    expect(judge({ Port: ['22', '2222'] })).toBeNull();
    expect(judge({ Port: '2222' }, base, { ...controller, sshPort: 2222 })).toBeNull();
  });

  it('ListenAddress: a listener elsewhere is refused; the controller-facing address or a wildcard on its port passes', () => {
    expect(judge({ ListenAddress: '10.9.9.9' })).toMatch(/no ListenAddress would keep 198\.18\.23\.5 port 22/);
    expect(judge({ ListenAddress: '198.18.23.5:2222' })).toMatch(/no ListenAddress/);
    expect(judge({ ListenAddress: '198.18.23.5' })).toBeNull();
    expect(judge({ ListenAddress: ['10.9.9.9', '0.0.0.0:22'] })).toBeNull();
    // Port 2222 with ListenAddress ip:22 was reported CHANGED and left a latent Port 2222: refused too
    expect(judge({ Port: '2222', ListenAddress: '198.18.23.5:22' })).toMatch(/Port 2222 would stop sshd listening on port 22, .*latent while ListenAddress 198\.18\.23\.5:22/);
    expect(judge({ Port: ['22', '2222'], ListenAddress: '198.18.23.5:22' })).toBeNull();
    expect(judge({ Port: '2222', ListenAddress: '198.18.23.5' })).toMatch(/Port 2222 would stop sshd/);
    expect(judge({ Port: ['22', '2222'], ListenAddress: '10.9.9.9' })).toMatch(/no ListenAddress/);
  });

  it('AllowUsers: a list without the controller\'s user (or from another network) is refused', () => {
    expect(judge({ AllowUsers: 'nobody-at-all' })).toMatch(/AllowUsers nobody-at-all would shut out root@198\.18\.23\.1/);
    expect(judge({ AllowUsers: 'admin root@198.18.23.0/24' })).toBeNull();
    expect(judge({ AllowUsers: 'root@10.0.0.0/8' })).toMatch(/would shut out/);
    expect(judge({ AllowUsers: 'r??t' })).toBeNull();
    expect(userEntryMatches('root@198.18.*', 'root', '198.18.23.1')).toBe(true);
    expect(userEntryMatches('ro*@10.*', 'root', '198.18.23.1')).toBe(false);
  });

  it('DenyUsers: a pattern matching the controller\'s user is refused', () => {
    expect(judge({ DenyUsers: 'r*' })).toMatch(/DenyUsers r\* would shut out root/);
    expect(judge({ DenyUsers: 'guest' })).toBeNull();
    expect(judge({ DenyUsers: 'guest' }, base, { ...controller, user: undefined as unknown as string })).toMatch(/login user is unknown/);
  });

  it('Match: a Match block in the settings is refused outright', () => {
    expect(judge({ Match: 'User root' })).toMatch(/Match block/);
  });

  it('PermitRootLogin no / PubkeyAuthentication no / AuthenticationMethods / AddressFamily that shut a key login out are refused', () => {
    expect(judge({ PermitRootLogin: 'no' })).toMatch(/PermitRootLogin no would shut out root/);
    expect(judge({ PermitRootLogin: 'no' }, base, { ...controller, user: 'deploy' })).toBeNull();
    expect(judge({ PubkeyAuthentication: 'no' })).toMatch(/PubkeyAuthentication no/);
    expect(judge({ AuthenticationMethods: 'publickey,password' })).toMatch(/AuthenticationMethods/);
    expect(judge({ AuthenticationMethods: 'publickey,password publickey' })).toBeNull();
    expect(judge({ AddressFamily: 'inet6' })).toMatch(/AddressFamily inet6/);
  });

  it('keys the change does not set are not judged (the host already had them)', () => {
    expect(judge({}, `AllowUsers admin\n${base}`)).toBeNull();
  });

  it('planSsh refuses before any step is planned, with the fix', () => {
    const facts = emptyFacts({ sshdConfig: textFile('/etc/ssh/sshd_config', base) });
    const p = planSsh(facts, { sshdOptions: { Port: '2222' } }, controller, '/q');
    expect(p).toEqual({ refused: expect.stringMatching(/^sshd_config: Port 2222 would stop sshd listening on port 22.*Fix: keep port 22/) });
    expect(planSsh(facts, { sshdOptions: { Port: ['22', '2222'] } }, controller, '/q')).toHaveProperty('steps');
    expect(planSsh(facts, { sshdOptions: { Banner: 'x\nPermitRootLogin yes' } }, controller, '/q')).toEqual({ refused: expect.stringMatching(/multi-line value/) });
  });

  it('AllowGroups: the step checks the controller user\'s groups on the host and refuses before writing anything', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ms-sshd-'));
    const cfg = path.join(dir, 'sshd_config');
    writeFileSync(cfg, base);
    const facts = emptyFacts({ sshdConfig: textFile(cfg, base) });
    const q = path.join(dir, 'q');
    const me = spawnSync('id', ['-un'], { encoding: 'utf8' }).stdout.trim();
    const mine = spawnSync('id', ['-gn'], { encoding: 'utf8' }).stdout.trim();
    for (const [groups, refused] of [['no-such-group-anywhere', true], [mine, false]] as const) {
      const p = planSsh(facts, { sshdOptions: { AllowGroups: groups } }, { ...controller, user: me }, q);
      if ('refused' in p) throw new Error(p.refused);
      const step = p.steps.at(-1)!;
      const r = spawnSync('/bin/sh', ['-c', phaseCommand(step.command, 'record', 1)], { encoding: 'utf8', input: String(step.stdin) });
      if (refused) {
        expect(r.status).not.toBe(0);
        expect(r.stderr).toMatch(/MS-REFUSED: AllowGroups no-such-group-anywhere would shut out/);
        expect(existsSync(path.join(q, 'manifest'))).toBe(false);
      } else expect(r.stderr).not.toMatch(/MS-REFUSED/);
      expect(readFileSync(cfg, 'utf8')).toBe(base);
    }
  });
});
