import { execFileSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { renderString, renderValue, TemplateError } from '../../../src/playbook/template.js';

const hostile = [
  "a'b",
  '$(touch /tmp/pwned)',
  '`id`',
  'x; rm -rf /',
  'line1\nline2',
  '-rf',
  '*',
  '"double" \\ back',
  '\u001b[31mred',
  'ünïcødé',
  '',
];

const sh = (cmd: string) => execFileSync('sh', ['-c', cmd]).toString();

describe('templating', () => {
  test('{{quote x}} makes any value one shell word, byte-exact', () => {
    for (const v of hostile) {
      const cmd = renderString("printf '%s|' {{quote v}}", { v }, { shell: true });
      expect(sh(cmd)).toBe(v + '|');
    }
  });

  test('{{quote list}} makes one word per item', () => {
    const cmd = renderString("printf '<%s>' {{quote xs}}", { xs: ['a b', "c'd", '$(x)'] }, { shell: true });
    expect(sh(cmd)).toBe("<a b><c'd><$(x)>");
  });

  test('a bare {{x}} in a shell command is refused unless x is a plain word', () => {
    expect(renderString('echo {{x}}', { x: 'plain-word_1.2/a:b' }, { shell: true })).toBe('echo plain-word_1.2/a:b');
    expect(renderString('echo {{n}}', { n: 42 }, { shell: true })).toBe('echo 42');
    for (const v of hostile.filter((h) => h !== '' && h !== '-rf')) {
      let err: unknown;
      try {
        renderString('echo {{x}}', { x: v }, { shell: true });
      } catch (e) {
        err = e;
      }
      expect(err, JSON.stringify(v)).toBeInstanceOf(TemplateError);
      expect((err as TemplateError).fix).toBe('write {{quote x}} so it is passed as one quoted word');
    }
  });

  test('no HTML escaping in config files; values are inserted as text', () => {
    expect(renderString('a={{v}}', { v: '<b>&"\'' })).toBe('a=<b>&"\'');
    expect(renderString('{{v}}', { v: '{{other}}' })).toBe('{{other}}'); // never re-templated
  });

  test('missing variables are errors with the fix', () => {
    try {
      renderString('x={{nope}}', {});
      throw new Error('no error');
    } catch (e) {
      expect((e as TemplateError).message).toBe('variable "nope" is not defined');
      expect((e as TemplateError).fix).toContain('-e nope=VALUE');
    }
  });

  test('a whole-value {{x}} keeps its type; nested values render', () => {
    expect(renderValue({ port: '{{p}}', list: '{{l}}', s: 'p={{p}}', deep: { a: ['{{p}}'] } }, { p: 6379, l: [1, 2] })).toEqual({ port: 6379, list: [1, 2], s: 'p=6379', deep: { a: [6379] } });
  });

  test('prototype properties are not reachable', () => {
    expect(renderString('[{{x.constructor}}]', { x: {} })).toBe('[]');
  });

  test('helpers: trim, join, default, json', () => {
    expect(renderString('{{trim a}}|{{join l "-"}}|{{default m "d"}}|{{json o}}', { a: ' x\n', l: [1, 2], m: '', o: { k: 1 } })).toBe('x|1-2|d|{"k":1}');
  });
});
