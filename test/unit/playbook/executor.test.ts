import { mkdtempSync, readFileSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { runLocal } from './run-local.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'ms-play-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const statuses = (r: Awaited<ReturnType<typeof runLocal>>) => Object.fromEntries(r.events.map((e) => [e.record.task, e.record.status]));

describe('the user-written playbook on a local shell', () => {
  test('check mode plans the changes and touches nothing', async () => {
    const r = await runLocal('user/site.yml', { check: true, extraVars: { root } });
    expect(existsSync(path.join(root, 'etc'))).toBe(false);
    const s = statuses(r);
    expect(s['Config directory exists']).toBe('changed');
    expect(s['Banner from a template']).toBe('changed');
    expect(s['Stamp the first run (once)']).toBe('changed');
    expect(s['Remove the demo (only with --tags cleanup)']).toBeUndefined();
    const banner = r.events.find((e) => e.record.task === 'Banner from a template')!;
    expect(banner.record.steps[0]!.diff).toContain('+Incident INC-2026-042 is under investigation');
    // every command the "host" ran was read-only: the gathers and check_mode: false reads
    expect(r.counts.get('h1')).toMatchObject({ failed: 0 });
  });

  test('apply runs everything, a second apply changes nothing', async () => {
    const first = await runLocal('user/site.yml', { check: false, extraVars: { root } });
    expect(first.counts.get('h1')).toMatchObject({ failed: 0, unreachable: 0 });
    expect(first.counts.get('h1')!.changed).toBe(5);
    const dir = path.join(root, 'etc/minesweep-demo');
    expect(readFileSync(path.join(dir, 'banner'), 'utf8')).toMatch(/^Authorized use only\nIncident INC-2026-042 is under investigation\nHost: .+\nContact: Security team <sec@example.com>\n$/);
    expect(readFileSync(path.join(dir, 'app.conf'), 'utf8')).toBe('incident=INC-2026-042\n');
    expect((statSync(path.join(dir, 'app.conf')).mode & 0o777).toString(8)).toBe('600');
    expect((statSync(path.join(dir, 'banner')).mode & 0o777).toString(8)).toBe('644');
    expect(readFileSync(path.join(dir, 'role'), 'utf8')).toBe('web\n');
    expect(readFileSync(path.join(dir, 'stamp'), 'utf8')).toBe('INC-2026-042\n');
    const debug = first.events.find((e) => e.record.module === 'debug')!;
    expect(debug.message).toBe('stamp says INC-2026-042\n');

    const second = await runLocal('user/site.yml', { check: false, extraVars: { root } });
    expect(second.counts.get('h1')).toMatchObject({ changed: 0, failed: 0 });
    expect(second.events.filter((e) => e.record.status === 'changed')).toEqual([]);
  });

  test('when: a host outside the web group skips the role marker', async () => {
    const r = await runLocal('user/site.yml', { check: false, extraVars: { root }, hosts: [{ name: 'db1', groups: ['all', 'db'] }] });
    expect(statuses(r)['Role marker on web hosts only']).toBe('skipped');
    expect(existsSync(path.join(root, 'etc/minesweep-demo/role'))).toBe(false);
  });

  test('--tags and --skip-tags select tasks; never-tagged tasks run only when named', async () => {
    const r = await runLocal('user/site.yml', { check: false, extraVars: { root }, tags: ['banner'] });
    expect(Object.keys(statuses(r))).toEqual(['Read the hostname', 'Banner from a template']);
    // the directory task was not selected: the template fails on the missing directory
    expect(statuses(r)['Banner from a template']).toBe('failed');
    await runLocal('user/site.yml', { check: false, extraVars: { root } });
    // (check mode: applying would move the stamp into /var/lib/minesweep/quarantine on this machine)
    const c = await runLocal('user/site.yml', { check: true, extraVars: { root }, tags: ['cleanup'] });
    expect(statuses(c)['Remove the demo (only with --tags cleanup)']).toBe('changed');
    expect(existsSync(path.join(root, 'etc/minesweep-demo/stamp'))).toBe(true);
    const s = await runLocal('user/site.yml', { check: false, extraVars: { root }, skipTags: ['config', 'stamp'] });
    expect(Object.keys(statuses(s))).toEqual(['Read the hostname']);
  });
});

describe('executor details', () => {
  test('check mode: read-only steps (wait) are ok, others would change; failed_when turns a failure into ok', async () => {
    const r = await runLocal('engine/details.yml', { check: true, extraVars: { root } });
    const s = Object.fromEntries(r.events.map((e) => [e.record.task, e]));
    expect(s['wait for the root']!.record.status).toBe('ok');
    expect(s['write a file']!.record.status).toBe('changed');
    expect(s['a failing read that is fine']!.record.status).toBe('ok');
    expect(s['a failing read that is fine']!.message).toMatch(/exit 3 \(not a failure: failed_when is false\)/);
  });

  test('apply: the host stops at its first failure; ignore_errors carries on; register and changed_when', async () => {
    const r = await runLocal('engine/details.yml', { check: false, extraVars: { root } });
    const s = Object.fromEntries(r.events.map((e) => [e.record.task, e]));
    expect(s['ignored failure']!.record.status).toBe('failed');
    expect(s['ignored failure']!.ignored).toBe(true);
    expect(s['changed only when it says so']!.record.status).toBe('ok');
    expect(s['uses the registered output']!.message).toBe('got HELLO');
    expect(s['the real failure']!.record.status).toBe('failed');
    expect(s['never reached']).toBeUndefined();
    expect(r.counts.get('h1')).toMatchObject({ failed: 1, ignored: 1 });
    expect(r.hosts.get('h1')!.status).toBe('failed');
    expect(r.hosts.get('h1')!.reason).toMatch(/^the real failure: exit 7/);
  });

  test('a secret variable never reaches the records', async () => {
    const r = await runLocal('engine/details.yml', { check: false, extraVars: { root, db_password: 's3cr3t-value' } });
    const all = JSON.stringify(r.events.map((e) => e.record));
    expect(all).toContain('********');
    expect(all).not.toContain('s3cr3t-value');
  });

  test('an undefined variable fails the task on the host with the variable and the fix', async () => {
    const r = await runLocal('engine/details.yml', { check: true, extraVars: { root, use_undefined: 'yes' } });
    const e = r.events.find((x) => x.record.task === 'uses an undefined variable')!;
    expect(e.record.status).toBe('failed');
    expect(e.message).toMatch(/details\.yml:\d+:\d+: variable "nope" is not defined\n  fix: define it/);
  });
});

describe('several plays', () => {
  test('registered results carry over; a failed host sits out the later plays', async () => {
    const r = await runLocal('engine/two-plays.yml', { check: false, hosts: [{ name: 'h1', groups: ['all'] }, { name: 'h2', groups: ['all'] }] });
    const recall = r.events.filter((e) => e.record.task === 'recall');
    expect(recall.map((e) => [e.host, e.message])).toEqual([['h1', 'remembered on h1']]);
    expect(r.counts.get('h1')).toMatchObject({ ok: 2, skipped: 1, failed: 0 });
    expect(r.counts.get('h2')).toMatchObject({ ok: 1, failed: 1 });
    expect(r.hosts.get('h2')!.status).toBe('failed');
    expect(r.hosts.get('h1')!.tasks.map((t) => t.play)).toEqual(['first', 'first', 'second']);
  });
});

describe('host boundary', () => {
  test('a connection lost mid-play makes the host unreachable and stops it; results, not exceptions', async () => {
    const { runPlayOnHost } = await import('../../../src/playbook/executor.js');
    const { getModule } = await import('../../../src/playbook/registry.js');
    const { LocalSession } = await import('./local-session.js');
    const { parseFixture } = await import('./run-local.js');
    const pb = await parseFixture('user/site.yml');
    const s = new LocalSession();
    let n = 0;
    const exec = s.exec.bind(s);
    s.exec = async (c, o) => {
      if (++n === 3) throw new Error('connection reset by peer');
      return exec(c, o);
    };
    const r = await runPlayOnHost(pb.plays[0]!, { session: s, state: { findings: [], registered: {} }, controller: { address: '127.0.0.1', sshPort: 22, keyFingerprints: [] }, undo: { host: 'local', quarantineDir: path.join(root, 'q'), nextSeq: () => ++n } }, {
      check: true, extraVars: { root }, runId: 't', getModule, readLocal: () => '', playbookDir: pb.dir,
    });
    expect(r.status).toBe('unreachable');
    expect(r.counts.unreachable).toBe(1);
    expect(r.tasks.at(-1)!.message).toBe('connection lost: connection reset by peer');
    expect(r.tasks).toHaveLength(3);
  });
});
