import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { loadPrivateKey } from '../../../src/transport/keys.js';

const dir = path.resolve(__dirname, '../../fixtures/transport');
const f = (n: string): string => path.join(dir, n);

describe('private keys', () => {
  it('reads an unencrypted OpenSSH ed25519 key', () => {
    const k = loadPrivateKey(f('id_ed25519'));
    expect(k.ok && k.key.type).toBe('ssh-ed25519');
  });
  it('reads encrypted PEM RSA and OpenSSH ECDSA keys with the passphrase', () => {
    const rsa = loadPrivateKey(f('id_rsa_pem_pass'), 'fixture-pass');
    expect(rsa.ok && rsa.key.type).toBe('ssh-rsa');
    const ec = loadPrivateKey(f('id_ecdsa_openssh_pass'), 'fixture-pass');
    expect(ec.ok && ec.key.type).toMatch(/^ecdsa-sha2-/);
  });
  it('says how to fix an encrypted key without (or with a wrong) passphrase', () => {
    const none = loadPrivateKey(f('id_rsa_pem_pass'));
    expect(!none.ok && none.reason).toMatch(/encrypted: set MINESWEEP_KEY_PASSPHRASE/);
    const wrong = loadPrivateKey(f('id_ecdsa_openssh_pass'), 'nope');
    expect(!wrong.ok && wrong.reason).toMatch(/passphrase/);
  });
  it('parses each key once (same object on every connection)', () => {
    expect(loadPrivateKey(f('id_ed25519'))).toBe(loadPrivateKey(f('id_ed25519')));
  });
  it('a missing file or a public key is a clear reason', () => {
    const m = loadPrivateKey(f('nope'));
    expect(!m.ok && m.missing).toBe(true);
    const pub = loadPrivateKey(f('id_ed25519.pub'));
    expect(pub.ok).toBe(false);
  });
});
