import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { nothing, steps } from '../../../src/actions/types.js';
import { quote } from '../../../src/core/quote.js';
import type { HostResult } from '../../../src/core/result.js';
import type { Target } from '../../../src/inventory/types.js';
import { defineModule, type Module } from '../../../src/playbook/module-types.js';
import { parsePlaybook } from '../../../src/playbook/parse.js';
import { runPlaybook } from '../../../src/playbook/run-playbook.js';
import { getModule, loadModules, moduleNames } from '../../../src/playbook/registry.js';
import type { RunFleet, Session } from '../../../src/transport/types.js';
import { facts } from '../rules/fixtures.js';
import { LocalSession, localTarget } from './local-session.js';

// The fresh-login hook of the executor (ExecOptions.freshLogin + Module.verifyAccess) on a
// local shell: a module whose step writes a file stands in for sshd_config, the "login" is
// whether that file says so; and sshd_config's restore step from recorded facts.

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'ms-verify-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

// writes `value` to root/conf; restore puts back `previous`
const confModule = defineModule<{ value: string; previous: string }>({
  name: 'conf_test',
  description: 'write a config file (test)',
  options: { value: { type: 'string', required: true, description: 'new content' }, previous: { type: 'string', required: true, description: 'content to put back' } },
  plan: (a) => (readFileSync(path.join(root, 'conf'), 'utf8') === a.value ? nothing('already so') : steps({ description: 'write conf', command: `printf %s ${quote(a.value)} > ${quote(path.join(root, 'conf'))}` })),
  verifyAccess: {
    after: 'a fresh login works after the change',
    restored: 'a fresh login works with the previous conf',
    restore: (a) => ({ description: 'conf: the previous file put back', command: `printf %s ${quote(a.previous)} > ${quote(path.join(root, 'conf'))}` }),
  },
});

async function run(value: string, login: (t: Target) => Promise<boolean>) {
  await loadModules();
  const get = (n: string): Module | undefined => (n === 'conf_test' ? confModule : getModule(n));
  const file = path.join(root, 'pb.yml');
  writeFileSync(file, `- name: Conf\n  hosts: all\n  tasks:\n    - name: Write conf\n      conf_test:\n        value: ${JSON.stringify(value)}\n        previous: good\n`);
  const pb = parsePlaybook(readFileSync(file, 'utf8'), file, get, [...moduleNames(), 'conf_test']);
  const fleet: RunFleet = async <T,>(targets: Target[], fn: (s: Session) => Promise<{ status: HostResult['status']; value?: T; reason?: string }>) => {
    const out: HostResult<T>[] = [];
    for (const t of targets) {
      const r = await fn(new LocalSession(t));
      out.push({ host: t.name, status: r.status, startedAt: '', durationMs: 0, ...(r.value !== undefined ? { value: r.value } : {}), ...(r.reason ? { reason: r.reason } : {}) });
    }
    return out;
  };
  const logins: string[] = [];
  const r = await runPlaybook(pb, {
    check: false, extraVars: {}, runId: 'test', quarantineDir: path.join(root, 'q'), getModule: get, readLocal: () => '',
    targetsFor: async () => ({ targets: [localTarget('h1')], problems: [] }), runFleet: fleet, fleet: { forks: 1 },
    freshLogin: async (t) => { logins.push(t.name); return login(t); },
  });
  return { task: r.hosts.get('h1')!.tasks[0]!, host: r.hosts.get('h1')!, logins };
}

// the "login" works while the file does not say `locked`
const loginByConf = async () => readFileSync(path.join(root, 'conf'), 'utf8') !== 'locked';

describe('the fresh-login check after a changed task (ExecOptions.freshLogin, Module.verifyAccess)', () => {
  test('a change that keeps login working: one check, the task changed', async () => {
    writeFileSync(path.join(root, 'conf'), 'good');
    const r = await run('better', loginByConf);
    expect(r.task.status).toBe('changed');
    expect(r.task.steps.map((s) => [s.description, s.status])).toEqual([['write conf', 'changed'], ['a fresh login works after the change', 'ok']]);
    expect(r.logins).toEqual(['h1']);
  });

  test('a change that locks login out: the restore step runs, login checked again, the task failed', async () => {
    writeFileSync(path.join(root, 'conf'), 'good');
    const r = await run('locked', loginByConf);
    expect(readFileSync(path.join(root, 'conf'), 'utf8')).toBe('good');
    expect(r.task.status).toBe('failed');
    expect(r.task.steps.map((s) => [s.description, s.status])).toEqual([
      ['write conf', 'changed'],
      ['a fresh login works after the change', 'failed'],
      ['conf: the previous file put back', 'changed'],
      ['a fresh login works with the previous conf', 'ok'],
    ]);
    expect(r.task.message).toMatch(/previous state was put back and login works again/);
    expect(r.host.status).toBe('failed');
    expect(r.logins).toEqual(['h1', 'h1']);
  });

  test('login still failing after the restore: both checks failed', async () => {
    writeFileSync(path.join(root, 'conf'), 'good');
    const r = await run('locked', async () => false);
    expect(r.task.status).toBe('failed');
    expect(r.task.steps.map((s) => s.status)).toEqual(['changed', 'failed', 'changed', 'failed']);
    expect(r.task.message).toMatch(/not even after putting the previous state back/);
  });

  test('nothing changed: no login check', async () => {
    writeFileSync(path.join(root, 'conf'), 'good');
    const r = await run('good', async () => false);
    expect(r.task.status).toBe('ok');
    expect(r.logins).toEqual([]);
    expect(existsSync(path.join(root, 'q'))).toBe(false);
  });

  test("sshd_config declares the check; its restore step puts the recorded file back", async () => {
    await loadModules();
    const mod = getModule('sshd_config')!;
    const f = facts('clean');
    const ctx = { host: 'h1', vars: {}, facts: f, findings: [], gathered: { files: {}, commands: {} }, controller: { address: '10.0.0.1', port: 40000, sshPort: 22, keyFingerprints: [], user: 'root' }, runId: 'r', quarantineDir: '/var/lib/minesweep/quarantine/r', check: false, become: true, playbookDir: '.', readLocal: () => '', render: (t: string) => t };
    expect(mod.verifyAccess?.after).toBe('a fresh SSH login works after the reload');
    expect(mod.verifyAccess?.restored).toBe('a fresh SSH login works with the previous sshd_config');
    const step = mod.verifyAccess!.restore({}, ctx)!;
    expect(step.stdin).toBe(f.sshdConfig!.content);
    expect(step.description).toBe('/etc/ssh/sshd_config: no fresh login after the reload: the previous file put back, sshd reloaded');
    expect(getModule('authorized_key')!.verifyAccess?.restore({}, ctx)).toBeNull();
  });
});
