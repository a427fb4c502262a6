import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadResolveEnv } from '../../../src/transport/env.js';
import { resolveSshConfig } from '../../../src/transport/ssh-config.js';

describe('reading the ssh config', () => {
  it('follows Include (globs, nested) in place; a missing config is empty', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ms-sshcfg-'));
    mkdirSync(path.join(dir, 'conf.d'));
    writeFileSync(path.join(dir, 'config'), `Host web*\n  User first\nInclude ${dir}/conf.d/*.conf\nHost *\n  User last\n`);
    writeFileSync(path.join(dir, 'conf.d', 'a.conf'), `Host db1\n  HostName 10.1.1.1\n  Include ${dir}/port.inc\n`);
    writeFileSync(path.join(dir, 'port.inc'), 'Port 2022\n');
    writeFileSync(path.join(dir, 'conf.d', 'ignored.txt'), 'Host db1\n  User never\n');
    const env = loadResolveEnv({ forks: 1, sshConfigFile: path.join(dir, 'config') });
    expect(resolveSshConfig(env.sshConfig, 'db1', env.ctx)).toMatchObject({ hostName: '10.1.1.1', port: 2022, user: 'last' });
    expect(resolveSshConfig(env.sshConfig, 'web2', env.ctx).user).toBe('first');
    expect(loadResolveEnv({ forks: 1, sshConfigFile: path.join(dir, 'nope') }).sshConfig).toHaveLength(1);
  });
});
