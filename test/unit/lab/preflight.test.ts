import { describe, expect, it } from 'vitest';
import { preflightProblems } from '../../../src/lab/preflight.js';

describe('lab preflight', () => {
  const all = () => true;
  it('passes on Linux as root with every tool', () => {
    expect(preflightProblems({ platform: 'linux', uid: 0, has: all, node: '/usr/bin/node' })).toEqual([]);
  });
  it('says what is wrong and what to do', () => {
    expect(preflightProblems({ platform: 'darwin', uid: 0, has: all, node: '/usr/bin/node' })[0]).toMatch(/needs Linux/);
    expect(preflightProblems({ platform: 'linux', uid: 1000, has: all, node: '/usr/bin/node' })[0]).toMatch(/needs root/);
    const missing = preflightProblems({ platform: 'linux', uid: 0, has: (t) => t !== 'setfattr' && t !== 'redis-server', node: '/usr/bin/node' });
    expect(missing).toEqual(['missing redis-server, setfattr: install with `apt-get install -y attr redis-server`']);
  });
});
