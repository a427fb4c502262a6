import { describe, expect, it } from 'vitest';
import { hardenSshdConfig, SSHD_DEFAULTS } from '../../../src/harden/sshd-config.js';
import { planSsh } from '../../../src/harden/ssh.js';
import type { AuthorizedKeysFile } from '../../../src/facts/types.js';
import type { Step } from '../../../src/actions/types.js';
import { emptyFacts, textFile } from '../remediate/facts-fixture.js';

const cfg = 'Include /etc/ssh/sshd_config.d/*.conf\nPermitRootLogin yes\n#PasswordAuthentication yes\nPasswordAuthentication yes\nMatch User backup\n  PasswordAuthentication yes\n';
const controller = { address: '198.18.5.1', sshPort: 22, keyFingerprints: ['SHA256:ctl'] };

function keysFile(mode = '0600', attrs = '--------------e-------'): AuthorizedKeysFile {
  return {
    ...textFile('/root/.ssh/authorized_keys', 'ssh-ed25519 AAAActl ctl\nssh-rsa AAAArogue evil\n', { mode, attrs }),
    user: 'root',
    keys: [
      { line: 1, options: '', type: 'ssh-ed25519', fingerprint: 'SHA256:ctl', comment: 'ctl', raw: 'ssh-ed25519 AAAActl ctl' },
      { line: 2, options: '', type: 'ssh-rsa', fingerprint: 'SHA256:rogue', comment: 'evil', raw: 'ssh-rsa AAAArogue evil' },
    ],
  };
}

describe('hardenSshdConfig', () => {
  it('puts the settings first, comments out the old ones outside Match, and is idempotent', () => {
    const once = hardenSshdConfig(cfg, SSHD_DEFAULTS);
    expect(once.split('\n')[1]).toBe('PermitRootLogin prohibit-password');
    expect(once).toContain('# minesweep: was: PermitRootLogin yes');
    expect(once).toContain('# minesweep: was: PasswordAuthentication yes');
    expect(once).toContain('  PasswordAuthentication yes'); // inside Match: untouched
    expect(once.indexOf('PasswordAuthentication no')).toBeLessThan(once.indexOf('Include'));
    expect(hardenSshdConfig(once, SSHD_DEFAULTS)).toBe(once);
  });
});

describe('planSsh', () => {
  it('drops keys outside the allowlist, keeps the controller key, locks the file', () => {
    const p = planSsh(emptyFacts({ authorizedKeys: [keysFile()], sshdConfig: textFile('/etc/ssh/sshd_config', cfg) }), {}, controller, '/q');
    if ('refused' in p) throw new Error(p.refused);
    const [k, lock, s] = p.steps as [Step, Step, Step];
    expect(k.command).toContain("'ssh-rsa AAAArogue evil'");
    expect(k.command).not.toContain('AAAActl');
    expect(k.diff).toContain('-ssh-rsa AAAArogue evil');
    // the lock is its own step, recorded after the edit (mode and attributes put back by rollback)
    expect(lock.command).toContain('chattr +i');
    expect(lock.command).toContain('ms_before "$f" meta');
    expect([k, lock, s].every((x) => x.journal)).toBe(true);
    // the new file is checked before it replaces the old one
    expect(s.command).toContain('-t -f "$n"');
    expect(s.command.indexOf('-t -f "$n"')).toBeLessThan(s.command.lastIndexOf('ms_install'));
    expect(s.command).toContain('kill -HUP');
    expect(s.command).not.toMatch(/restart/);
  });

  it('refuses an allowlist that would drop the controller key', () => {
    expect(planSsh(emptyFacts({ authorizedKeys: [keysFile()] }), { allowedKeys: ['SHA256:other'] }, controller, '/q')).toHaveProperty('refused');
  });

  it('has nothing to do once hardened', () => {
    const f = keysFile('0400', '----i---------e-------');
    f.keys = f.keys.slice(0, 1);
    const p = planSsh(emptyFacts({ authorizedKeys: [f], sshdConfig: textFile('/etc/ssh/sshd_config', hardenSshdConfig(cfg, SSHD_DEFAULTS)) }), {}, controller, '/q');
    expect(p).toEqual({ steps: [], notes: [] });
  });
});
