import { describe, expect, test } from 'vitest';
import { PlaybookError } from '../../../src/playbook/errors.js';
import { parseAllExtraVars, parseExtraVars } from '../../../src/playbook/extra-vars.js';
import { tagList, tagSelected } from '../../../src/playbook/tags.js';

describe('tags', () => {
  test.each([
    [['a'], undefined, undefined, true],
    [['a'], ['a'], undefined, true],
    [['a'], ['b'], undefined, false],
    [[], ['b'], undefined, false],
    [['always'], ['b'], undefined, true],
    [['always'], undefined, ['always'], false],
    [['a'], undefined, ['a'], false],
    [['a', 'b'], ['a'], ['b'], false],
    [['never', 'cleanup'], undefined, undefined, false],
    [['never', 'cleanup'], ['cleanup'], undefined, true],
    [['never', 'cleanup'], ['all'], undefined, false],
    [['x'], ['all'], undefined, true],
    [['x'], ['tagged'], undefined, true],
    [[], ['untagged'], undefined, true],
    [['x'], ['untagged'], undefined, false],
    [['x'], undefined, ['tagged'], false],
  ] as Array<[string[], string[] | undefined, string[] | undefined, boolean]>)('task %j --tags %j --skip-tags %j → %s', (task, tags, skip, want) => {
    expect(tagSelected(task, tags, skip)).toBe(want);
  });

  test('comma lists and repeated flags', () => {
    expect(tagList(['a,b', ' c '])).toEqual(['a', 'b', 'c']);
    expect(tagList([])).toBeUndefined();
  });
});

describe('-e extra vars', () => {
  test('key=value pairs are strings; quotes group', () => {
    expect(parseExtraVars('a=1 b="two words" c=')).toEqual({ a: '1', b: 'two words', c: '' });
  });
  test('inline JSON/YAML and @file keep types', () => {
    expect(parseExtraVars('{"n": 1, "l": [1, 2]}')).toEqual({ n: 1, l: [1, 2] });
    expect(parseExtraVars('@vars.yml', () => 'port: 6380\nbind: [127.0.0.1]\nok: yes\n')).toEqual({ port: 6380, bind: ['127.0.0.1'], ok: true });
  });
  test('later -e wins', () => {
    expect(parseAllExtraVars(['a=1', 'a=2 b=3'])).toEqual({ a: '2', b: '3' });
  });
  test('errors say what was expected', () => {
    expect(() => parseExtraVars('novalue')).toThrow(PlaybookError);
    expect(() => parseExtraVars('1bad=x')).toThrow(/expected key=value/);
    expect(() => parseExtraVars('@nope.yml', () => { throw Object.assign(new Error('x'), { code: 'ENOENT' }); })).toThrow(/cannot read extra vars file nope.yml: ENOENT/);
    expect(() => parseExtraVars('@list.yml', () => '- a\n')).toThrow(/list\.yml:1:1: extra vars must be a mapping/);
  });
});
