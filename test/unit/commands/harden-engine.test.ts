import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import type { HostFacts } from '../../../src/facts/types.js';
import { getModule } from '../../../src/playbook/registry.js';
import { hardenCollector, type HostHardening } from '../../../src/commands/harden-collect.js';
import { hardenPlaybook, hardenSeedVars, planEveryArea } from '../../../src/commands/harden-playbook.js';
import { runLocal } from '../playbook/run-local.js';

// `minesweep harden` as the engine runs it: the built-in playbooks in area order, planned
// in check mode on local "hosts" seeded with facts recorded on the lab (the exposed Redis
// host and a clean one), collected from the task-end events.

const labDir = path.resolve(import.meta.dirname, '../../fixtures/facts/lab');
const recorded = (s: string) => JSON.parse(gunzipSync(readFileSync(path.join(labDir, `${s}.json.gz`))).toString('utf8')) as HostFacts;

async function plan(areas: Parameters<typeof hardenPlaybook>[0], hosts: Array<{ name: string; facts: HostFacts; vars?: Record<string, unknown> }>, everyArea = true) {
  const { playbook, areaOf } = await hardenPlaybook(areas);
  const into = new Map<string, HostHardening>();
  await runLocal(everyArea ? planEveryArea(playbook) : playbook, {
    check: true,
    skipTags: ['always'],
    // the local session's controller is 127.0.0.1: a sweep address equal to it is left out
    extraVars: { harden_sweep_addresses: ['127.0.0.1', '203.0.113.7'] },
    hosts: hosts.map((h) => ({ name: h.name, groups: ['all'], vars: h.vars ?? {} })),
    seed: new Map(hosts.map((h) => [h.name, { facts: h.facts, vars: hardenSeedVars(h.vars ?? {}) }])),
    events: [hardenCollector(into, areaOf, getModule)],
  });
  return into;
}

describe('harden on the engine', () => {
  test('the built-in playbooks run ssh first, then firewall, then redis, whatever order the areas are named in', async () => {
    const { playbook, areaOf } = await hardenPlaybook(['redis', 'firewall', 'ssh']);
    expect(playbook.plays.map((p) => p.name)).toEqual(['harden-ssh', 'harden-firewall', 'harden-redis']);
    expect([...areaOf]).toEqual([['harden-ssh', 'ssh'], ['harden-firewall', 'firewall'], ['harden-redis', 'redis']]);
    expect((await hardenPlaybook(['redis'])).playbook.plays.map((p) => p.name)).toEqual(['harden-redis']);
  });

  test('INI-style list vars become lists, ports numbers; other vars are left to the inventory', () => {
    expect(hardenSeedVars({ harden_block_addresses: '203.0.113.7, 198.51.100.2', harden_block_ports: '3333,5555', ssh_allowed_keys: 'SHA256:a SHA256:b', harden_datastore_ports: 6379, redis_password: 'x', other: 'y' })).toEqual({
      harden_block_addresses: ['203.0.113.7', '198.51.100.2'],
      harden_block_ports: [3333, 5555],
      ssh_allowed_keys: ['SHA256:a', 'SHA256:b'],
      harden_datastore_ports: [6379],
    });
  });

  test('recorded exposed-Redis host: every area planned, the sweep address of the controller left out with a note', async () => {
    const got = await plan(['ssh', 'firewall', 'redis'], [{ name: 'redis', facts: recorded('redis') }]);
    const h = got.get('redis')!;
    expect(h.refused).toEqual([]);
    expect(h.failures).toEqual([]);
    expect(h.changing).toEqual(['ssh', 'firewall', 'redis']);
    expect(h.steps.firewall!.map((s) => s.description)).toEqual([
      'block egress to 203.0.113.7',
      'close datastore port(s) 6380 to the world: remove the world-open ACCEPT rule(s), allow only 127.0.0.0/8',
      expect.stringMatching(/^persist the rules/),
    ]);
    expect(h.notes).toContain("not blocking 127.0.0.1 from the sweep: 127.0.0.1 covers the controller's address 127.0.0.1 (never blocked)");
    expect(h.steps.redis!.length).toBeGreaterThan(0);
    // check mode: no password stored, no step ran
    expect(h.secretFiles).toEqual([]);
    expect(h.tasks.flatMap((t) => t.steps).every((s) => s.status === 'skipped')).toBe(true);
  });

  test('a block list naming the controller refuses the firewall; the later areas are still planned (the host is then left untouched)', async () => {
    const vars = { harden_block_addresses: '127.0.0.1' };
    const every = (await plan(['ssh', 'firewall', 'redis'], [{ name: 'redis', facts: recorded('redis'), vars }])).get('redis')!;
    expect(every.refused).toEqual([expect.stringMatching(/^firewall var blocks 127\.0\.0\.1: .*Fix: remove it from the block list$/)]);
    expect(every.failedPlay).toBe('harden-firewall');
    expect(every.changing).toEqual(['ssh', 'redis']);
    // without the planning copy the host would stop at the refusal and Redis would go unplanned
    const stops = (await plan(['ssh', 'firewall', 'redis'], [{ name: 'redis', facts: recorded('redis'), vars }], false)).get('redis')!;
    expect(stops.reached).toEqual(['ssh', 'firewall']);
  });

  test('a clean recorded host: nothing for Redis; the sweep address blocked and the SSH defaults', async () => {
    const h = (await plan(['ssh', 'firewall', 'redis'], [{ name: 'clean', facts: recorded('clean') }])).get('clean')!;
    expect(h.changing).toEqual(['ssh', 'firewall']);
    expect(h.steps.redis ?? []).toEqual([]);
    expect((h.steps.firewall ?? []).map((s) => s.description)).toEqual(['block egress to 203.0.113.7', expect.stringMatching(/^persist the rules/)]);
  });
});
