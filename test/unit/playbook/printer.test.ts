import { describe, expect, test } from 'vitest';
import { zeroCounts, type TaskEvent } from '../../../src/playbook/executor.js';
import { recapText, taskText } from '../../../src/playbook/printer.js';
import type { Task } from '../../../src/playbook/types.js';

const task = { name: 't' } as Task;
const ev = (over: Partial<TaskEvent['record']>, e: Partial<TaskEvent> = {}): TaskEvent => ({
  host: 'web1',
  play: 'p',
  task,
  check: false,
  ignored: false,
  record: { play: 'p', task: 'Write config', module: 'copy', tags: [], status: 'ok', steps: [], startedAt: '', durationMs: 1, ...over },
  ...e,
});

describe('printer', () => {
  test('Ansible-like recap, names aligned', () => {
    const a = { ...zeroCounts(), ok: 3, changed: 1, skipped: 2 };
    const b = { ...zeroCounts(), failed: 1 };
    expect(recapText(new Map([['web1', a], ['db-long-name', b]]))).toContain(
      'web1         : ok=3 changed=1 failed=0 skipped=2 unreachable=0 ignored=0\ndb-long-name : ok=0 changed=0 failed=1 skipped=0 unreachable=0 ignored=0\n',
    );
  });

  test('check mode shows steps and diffs; remote text is escaped', () => {
    const t = taskText(ev({ status: 'changed', steps: [{ description: 'rewrite /etc/x', status: 'skipped', diff: '--- /etc/x\n+++ /etc/x\n@@ -1,1 +1,1 @@\n-a\u001b[2J\n+b\n' }] }, { check: true }));
    expect(t).toBe('would change: [web1] Write config\n    - rewrite /etc/x\n      --- /etc/x\n      +++ /etc/x\n      @@ -1,1 +1,1 @@\n      -a\\e[2J\n      +b\n');
  });

  test('failures show the message and the command; ignored failures say so', () => {
    const t = taskText(ev({ status: 'failed', steps: [{ description: 'd', status: 'failed', command: 'false' }] }, { message: 'exit 1: boom' }));
    expect(t).toBe('failed: [web1] Write config\n    exit 1: boom\n    command: false\n');
    expect(taskText(ev({ status: 'failed' }, { ignored: true, message: 'x' }))).toMatch(/^failed \(ignored\): \[web1\]/);
  });

  test('ok and skipped carry the reason on the same line', () => {
    expect(taskText(ev({ status: 'ok' }, { message: 'already there' }))).toBe('ok: [web1] Write config — already there\n');
  });
});
