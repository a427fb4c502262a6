import { describe, expect, it } from 'vitest';
import { hostIfaces, hostName, labId, labNames } from '../../../src/lab/naming.js';

describe('lab naming', () => {
  it('derives a stable short id from the absolute directory', () => {
    expect(labId('/var/lib/minesweep/lab')).toMatch(/^[0-9a-f]{5}$/);
    expect(labId('/var/lib/minesweep/lab')).toBe(labId('/var/lib/minesweep/lab/'));
    expect(labId('/var/lib/minesweep/lab-a')).not.toBe(labId('/var/lib/minesweep/lab-b'));
  });
  it('keeps every interface name within 15 characters and embeds the lab id', () => {
    const n = labNames('/var/lib/minesweep/lab-x');
    const names = [n.bridge, hostIfaces(n, 0).veth, hostIfaces(n, 999).veth, hostIfaces(n, 999).peer];
    for (const x of names) {
      expect(x.length).toBeLessThanOrEqual(15);
      expect(x).toContain(n.id);
    }
    expect(hostIfaces(n, 3).netns('h04')).toBe(`ms-${n.id}-h04`);
    expect(() => hostIfaces(n, 1000)).toThrow(/out of range/);
  });
  it('names hosts h01… (h001… past 99 hosts)', () => {
    expect(hostName(0, 8)).toBe('h01');
    expect(hostName(49, 50)).toBe('h50');
    expect(hostName(0, 120)).toBe('h001');
  });
});
