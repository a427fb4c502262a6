import { describe, expect, it } from 'vitest';
import { entryPoints } from '../../../src/report/entry-points.js';
import type { Finding } from '../../../src/findings/types.js';

const f = (rule: string, artifacts: Finding['artifacts'] = []): Finding => ({ rule, severity: 'high', title: rule, host: 'h', evidence: [], iocs: [], artifacts, remedy: '' });

describe('entryPoints', () => {
  it('recognises the ways in by rule id and by artifact', () => {
    const e = entryPoints([
      { host: 'a', findings: [f('redis.open-unauthenticated'), f('docker.api-exposed')] },
      { host: 'b', findings: [f('key.recently-added'), f('account.backdoor-user')] },
      { host: 'c', findings: [f('some.future-rule', [{ type: 'redis', configPath: '/etc/redis.conf', listen: ['0.0.0.0:6380'], pid: 1 }])] },
      { host: 'd', findings: [f('account.empty-password'), f('process.known-miner-name')] },
    ]);
    expect(e.map((x) => [x.kind, x.hosts])).toEqual([
      ['redis-open', ['a', 'c']],
      ['docker-api', ['a']],
      ['planted-key', ['b']],
      ['backdoor-account', ['b']],
      ['weak-ssh', ['d']],
    ]);
    expect(e[0]!.text).toContain('0.0.0.0:6380');
  });

  it('says nothing when the evidence does not show the way in', () => {
    expect(entryPoints([{ host: 'a', findings: [f('process.known-miner-name')] }])).toEqual([]);
  });
});
