import { beforeAll, describe, expect, test } from 'vitest';
import { PlaybookError } from '../../../src/playbook/errors.js';
import { parsePlaybook } from '../../../src/playbook/parse.js';
import { getModule, loadModules, moduleNames } from '../../../src/playbook/registry.js';
import { parseFixture } from './run-local.js';

beforeAll(() => loadModules());

const parse = (text: string) => parsePlaybook(text, 'pb.yml', getModule, moduleNames());

function error(text: string): PlaybookError {
  try {
    parse(text);
  } catch (e) {
    if (e instanceof PlaybookError) return e;
    throw e;
  }
  throw new Error('no error');
}

const play = (tasks: string) => `- name: p\n  hosts: all\n  tasks:\n${tasks}`;

describe('parsePlaybook', () => {
  test('the user fixture parses with positions, tags, when, register', async () => {
    const pb = await parseFixture('user/site.yml');
    const p = pb.plays[0]!;
    expect(p.hosts).toBe('all');
    expect(p.tasks.map((t) => t.module)).toEqual(['command', 'file', 'template', 'lineinfile', 'copy', 'shell', 'command', 'debug', 'file']);
    const tpl = p.tasks[2]!;
    expect(tpl.args['mode']).toBe('0644'); // YAML 1.1 octal stays the mode string
    expect(tpl.tags).toEqual(['config', 'banner']);
    expect(p.tasks[0]!.register).toBe('hn');
    expect(p.tasks[0]!.checkMode).toBe(false);
    expect(p.tasks[4]!.when[0]!.src).toBe("'web' in group_names");
    expect(p.tasks[4]!.pos.line).toBeGreaterThan(1);
  });

  test('free-form shell and command, and yes/no booleans', () => {
    const pb = parse(play('    - shell: echo hi\n      become: yes\n    - command: [ls, -l]\n      ignore_errors: no\n'));
    expect(pb.plays[0]!.tasks[0]!.args).toEqual({ cmd: 'echo hi' });
    expect(pb.plays[0]!.tasks[0]!.become).toBe(true);
    expect(pb.plays[0]!.tasks[1]!.args).toEqual({ argv: ['ls', '-l'] });
  });

  test('unknown module: file:line:column and a suggestion', () => {
    const e = error(play('    - name: x\n      lineinfle:\n        path: /a\n'));
    expect(e.message).toMatch(/^pb\.yml:5:7: unknown module or task keyword "lineinfle"/);
    expect(e.detail.fix).toBe('did you mean "lineinfile"?');
    expect(e.message).toContain('expected: a module (');
  });

  test('unknown option, with the option position and the expected list', () => {
    const e = error(play('    - file:\n        pth: /a\n'));
    expect(e.pos).toMatchObject({ line: 5, column: 9 });
    expect(e.message).toContain('unknown option "pth" for module file');
    expect(e.detail.fix).toBe('did you mean "path"?');
  });

  test('missing required option', () => {
    const e = error(play('    - name: t\n      lineinfile:\n        line: x\n'));
    expect(e.pos).toMatchObject({ line: 5, column: 7 });
    expect(e.message).toContain('module lineinfile needs option "path"');
  });

  test('wrong type: expected vs got', () => {
    const e = error(play('    - wait:\n        port: "six"\n'));
    expect(e.pos).toMatchObject({ line: 5, column: 9 });
    expect(e.detail.expected).toBe('number');
    expect(e.detail.got).toBe('string "six"');
  });

  test('a templated value passes the type check until run time', () => {
    expect(() => parse(play('    - wait:\n        port: "{{ redis_port }}"\n'))).not.toThrow();
  });

  test('bad choice', () => {
    const e = error(play('    - file:\n        path: /a\n        state: gone\n'));
    expect(e.pos).toMatchObject({ line: 6 });
    expect(e.detail.expected).toBe('file | directory | touch | link | absent');
  });

  test('module cross-checks point at the option', () => {
    const e = error(play('    - copy:\n        dest: etc/x\n        content: y\n'));
    expect(e.pos).toMatchObject({ line: 5, column: 9 });
    expect(e.message).toContain('dest must be an absolute path');
  });

  test('when syntax error points into the expression', () => {
    const e = error(play('    - debug: {msg: hi}\n      when: a == = 2\n'));
    expect(e.pos).toMatchObject({ line: 5, column: 18 });
    expect(e.message).toContain('unexpected character "="');
  });

  test('{{ }} in when is refused with the fix', () => {
    const e = error(play('    - debug: {msg: hi}\n      when: "{{ a }} == 1"\n'));
    expect(e.detail.fix).toContain('remove the {{ }}');
  });

  test('template syntax error in an option', () => {
    const e = error(play('    - debug:\n        msg: "{{#if x}}open"\n'));
    expect(e.pos).toMatchObject({ line: 5 });
    expect(e.message).toContain('template syntax');
  });

  test('two modules in one task', () => {
    const e = error(play('    - shell: a\n      command: b\n'));
    expect(e.pos).toMatchObject({ line: 5, column: 7 });
    expect(e.message).toContain('names two modules');
  });

  test('a task without a module', () => {
    expect(error(play('    - name: nothing\n      tags: [a]\n')).message).toContain('names no module');
  });

  test('play keywords: unknown, missing hosts, not a list', () => {
    expect(error('- name: p\n  host: all\n  tasks: []\n').detail.fix).toBe('did you mean "hosts"?');
    expect(error('- name: p\n  tasks: []\n').message).toContain('has no hosts');
    const e = error('name: p\nhosts: all\n');
    expect(e.message).toContain('a playbook must be a list of plays');
    expect(e.detail.fix).toContain('put "- " before the first key');
  });

  test('YAML syntax error and duplicate keys have positions', () => {
    expect(error('- name: p\n  hosts: all\n  tasks:\n    - shell: "unterminated\n').pos?.line).toBeGreaterThan(0);
    expect(error(play('    - file:\n        path: /a\n        path: /b\n')).message).toMatch(/^pb\.yml:6:9: a key appears twice/);
  });

  test('bad register name and bad timeout', () => {
    expect(error(play('    - shell: a\n      register: my-var\n')).detail.fix).toBe('register: my_var');
    expect(error(play('    - shell: a\n      timeout: 5m\n')).message).toContain('timeout must be a positive number of seconds');
  });
});

describe('defaults', () => {
  test('an unnamed task is called after its module and main option', () => {
    const pb = parse(play('    - file: {path: /etc/x, mode: "0600"}\n    - wait: {port: 22}\n    - shell: echo hi\n    - command: [ls, -l]\n'));
    expect(pb.plays[0]!.tasks.map((t) => t.name)).toEqual(['file /etc/x', 'wait port 22', 'shell echo hi', 'command ls -l']);
  });
});
