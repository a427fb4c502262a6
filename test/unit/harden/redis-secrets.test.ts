import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { getModule, loadModules } from '../../../src/playbook/registry.js';
import type { ModuleContext } from '../../../src/playbook/module-types.js';
import { facts } from '../rules/fixtures.js';

// redis_harden keeps a generated password only when the step that used it did not end 'ok'
// (the one condition `harden` uses too): 0600 under runs/<id>/secrets/.

let runDir: string;
beforeEach(() => {
  runDir = mkdtempSync(path.join(tmpdir(), 'ms-secrets-'));
});
afterEach(() => rmSync(runDir, { recursive: true, force: true }));

describe('redis_harden: the password kept only when its step changed or failed', () => {
  test('on recorded facts with a Redis instance', async () => {
    await loadModules();
    const mod = getModule('redis_harden')!;
    const f = ['minerd', 'ddg', 'kinsing', 'outlaw', 'cleanfda', 'aliyunduns', 'clean-busy'].map((n) => facts(n)).find((x) => x.redis.length)!;
    expect(f, 'a fixture with Redis').toBeTruthy();
    const ctx = { host: 'h1', vars: {}, facts: f, findings: [], gathered: { files: {}, commands: {} }, controller: { address: '10.0.0.1', port: 40000, sshPort: 22, keyFingerprints: [], user: 'root' }, runId: 'r', runDir, quarantineDir: '/var/lib/minesweep/quarantine/r', check: false, become: true, playbookDir: '.', readLocal: () => '', render: (t: string) => t } as ModuleContext;
    const plan = mod.plan!({}, ctx);
    expect(plan.kind).toBe('steps');
    const step = (plan as { steps: Array<{ mask?: string[] }> }).steps.find((s) => s.mask?.length)!;
    const pw = step.mask![0]!;
    const secrets = path.join(runDir, 'secrets');
    await mod.afterStep!(step as never, { code: 0, stdout: Buffer.from('already set\n'), stderr: '', timedOut: false }, ctx);
    expect(existsSync(secrets)).toBe(false);
    await mod.afterStep!(step as never, { code: 0, stdout: Buffer.from('MS-CHANGED requirepass\n'), stderr: '', timedOut: false }, ctx);
    const [file] = readdirSync(secrets);
    expect(readFileSync(path.join(secrets, file!), 'utf8')).toBe(`${pw}\n`);
    expect(statSync(path.join(secrets, file!)).mode & 0o777).toBe(0o600);
  });
});
