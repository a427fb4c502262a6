import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fingerprintOfKeyFile } from '../../../src/sweep/controller-keys.js';

describe('controller key fingerprint', () => {
  it('matches ssh-keygen -lf, from KEY.pub and from the private key alone', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'key-'));
    const key = path.join(dir, 'id');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'ctl', '-f', key]);
    const want = execFileSync('ssh-keygen', ['-lf', `${key}.pub`], { encoding: 'utf8' }).split(' ')[1];
    expect(fingerprintOfKeyFile(key)).toBe(want);
    rmSync(`${key}.pub`);
    expect(fingerprintOfKeyFile(key)).toBe(want);
    expect(fingerprintOfKeyFile(path.join(dir, 'missing'))).toBeNull();
  });
});
