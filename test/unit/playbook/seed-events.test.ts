import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { loadCatalogue } from '../../../src/catalogue/load.js';
import type { HostFacts } from '../../../src/facts/types.js';
import { analyzeHost } from '../../../src/rules/analyze-host.js';
import { runLocal } from './run-local.js';

// The engine's per-host seed (facts and findings from a sweep) and its events, over the
// facts recorded on the rules lab (test/fixtures/facts/lab) and the rules' own findings.

const labDir = path.resolve(import.meta.dirname, '../../fixtures/facts/lab');
const recorded = (s: string) => JSON.parse(gunzipSync(readFileSync(path.join(labDir, `${s}.json.gz`))).toString('utf8')) as HostFacts;

describe('seed and events', () => {
  test('a seeded host starts with its recorded facts and findings (no probe task)', async () => {
    const facts = recorded('kinsing');
    const { findings } = analyzeHost(facts, { catalogue: loadCatalogue([]), trustedKeys: ['SHA256:PE+pHSB8HDH/okAkmZCIXDPR9jlrnu+1WYPLYaAGsmY'] });
    expect(findings.length).toBeGreaterThan(0);
    const clean = recorded('clean');
    const r = await runLocal('engine/seeded.yml', { check: true, hosts: [{ name: 'h1', groups: ['all'] }, { name: 'h2', groups: ['all'] }], seed: new Map([['h1', { facts, findings }], ['h2', { facts: clean, findings: [] }]]) });
    const msg = (h: string, t: string) => r.events.find((e) => e.host === h && e.record.task === t);
    expect(msg('h1', 'what the seed says')!.message).toBe(`${facts.hostname} has ${findings.length} finding(s)`);
    expect(msg('h1', 'only with findings')!.message).toBe(`first rule ${findings[0]!.rule}`);
    expect(msg('h2', 'what the seed says')!.message).toBe(`${clean.hostname} has 0 finding(s)`);
    expect(msg('h2', 'only with findings')!.record.status).toBe('skipped');
    // the seeded findings are the host's findings in the run record
    expect(r.hosts.get('h1')!.findings).toEqual(findings);
  });

  test('events: task start before task end, one host end per host after its tasks, one run end last', async () => {
    const log: string[] = [];
    const r = await runLocal('engine/two-plays.yml', {
      check: false,
      hosts: [{ name: 'h1', groups: ['all'] }, { name: 'h2', groups: ['all'] }],
      events: [{
        playStart: (n) => log.push(`play ${n}`),
        taskStart: (e) => log.push(`start ${e.host} ${e.task.name}`),
        taskEnd: (e) => log.push(`end ${e.host} ${e.record.task} ${e.record.status}`),
        hostEnd: (e) => log.push(`host ${e.host} ${e.run.status} ${e.run.tasks.length}`),
        runEnd: (e) => log.push(`run ${e.hosts.size}`),
      }],
    });
    expect(log).toEqual([
      'play first',
      'start h1 remember', 'end h1 remember ok', 'start h1 fail on h2', 'end h1 fail on h2 skipped',
      'start h2 remember', 'end h2 remember ok', 'start h2 fail on h2', 'end h2 fail on h2 failed',
      'play second',
      'start h1 recall', 'end h1 recall ok',
      'host h1 ok 3', 'host h2 failed 2',
      'run 2',
    ]);
    // the older onTask callback is one more subscriber: it saw the same task ends
    expect(r.events.map((e) => `${e.host} ${e.record.task}`)).toEqual(['h1 remember', 'h1 fail on h2', 'h2 remember', 'h2 fail on h2', 'h1 recall']);
  });
});
