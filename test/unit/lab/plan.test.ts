import { describe, expect, it } from 'vitest';
import { fixtureLab } from './lab-fixture.js';
import { SCENARIOS } from '../../../src/lab/scenarios/index.js';


describe('lab plan', () => {
  const lab = fixtureLab();
  it('assigns scenarios round-robin past the first N, adds the pool and the hidden hosts', () => {
    const hosts = lab.hosts.filter((h) => h.role === 'host');
    expect(hosts.map((h) => h.scenario)).toEqual([...SCENARIOS.map((s) => s.name), 'clean', 'clean-busy']);
    expect(lab.hosts.find((h) => h.role === 'pool')?.address).toBe('198.18.4.254');
    expect(lab.hosts.filter((h) => h.role === 'hidden').map((h) => h.address)).toEqual(['198.18.104.11', '198.18.104.12']);
    expect(lab.hosts[0]!.bastionAddress).toBe('198.18.104.1');
    expect(new Set(lab.hosts.map((h) => h.veth)).size).toBe(lab.hosts.length);
  });

  it('burns CPU only on the first instance of a busy scenario', () => {
    const busy = lab.hosts.filter((h) => h.scenario === 'clean-busy');
    expect(busy[0]!.plan!.start.join('\n')).toContain('MS_LAB_BURN=40');
    expect(busy[1]!.plan!.start.join('\n')).toContain('MS_LAB_BURN=0');
  });
});
