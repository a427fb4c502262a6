import { describe, expect, test } from 'vitest';
import { parseWhen, when, WhenError } from '../../../src/playbook/when.js';

const scope = {
  port: 6379,
  name: 'redis',
  flag: 'yes',
  empty: '',
  list: ['a', 'b'],
  m: { a: { b: 3 }, 'x-y': 1 },
  r: { rc: 0, stdout: 'ok\n', stdout_lines: ['ok'] },
  findings: [{ rule: 'cron.download-pipe-shell' }],
  facts: { os: { id: 'debian' } },
  nothing: null,
};

describe('when expressions', () => {
  test.each([
    ['port == 6379', true],
    ['port != 6379', false],
    ['port > 1024 and port < 7000', true],
    ['port >= 6379 and port <= 6379', true],
    ['name == "redis" or name == "mysql"', true],
    ["not name == 'redis'", false],
    ['not (port == 1 or port == 2)', true],
    ["'a' in list", true],
    ["'z' not in list", true],
    ["'dis' in name", true],
    ["'a' in m", true],
    ['m.a.b == 3', true],
    ["m['a']['b'] == 3", true],
    ['list[1] == "b"', true],
    ['list[-1] == "b"', true],
    ['r.rc == 0 and r.stdout_lines|length == 1', true],
    ['findings|length > 0', true],
    ['findings[0].rule == "cron.download-pipe-shell"', true],
    ['facts.os.id == "debian"', true],
    ['missing is defined', false],
    ['missing is undefined', true],
    ['missing is not defined', true],
    ['m.a.zz is defined', false],
    ['port is defined and port is number', true],
    ['flag|bool', true],
    ['empty|bool', false],
    ['empty', false],
    ['list', true],
    ['nothing is none', true],
    ['missing|default(5) == 5', true],
    ['"10"|int > 9', true],
    ['name|upper == "REDIS"', true],
    ['true and not false', true],
    ['True', true],
    ['1 == 1.0', true],
    ['[1, 2]|length == 2', true],
    ['"a b" == "a b"', true],
    ["'it\\'s' == \"it's\"", true],
  ])('%s → %s', (src, want) => {
    expect(when(src, scope)).toBe(want);
  });

  test('and binds tighter than or', () => {
    expect(when('true or false and false', {})).toBe(true);
    expect(when('(true or false) and false', {})).toBe(false);
  });

  test('undefined names are errors outside is defined/default', () => {
    expect(() => when('missing == 1', scope)).toThrow(/missing is undefined/);
    expect(() => when('m.zz.b == 1', scope)).toThrow(/m\.zz\.b is undefined/);
  });

  test('type errors say what to do', () => {
    expect(() => when('name > 3', scope)).toThrow(/cannot compare string > number \(convert with \|int/);
    expect(() => when('port|length', scope)).toThrow(/\|length needs a string, list or mapping/);
  });

  test('syntax errors carry the offset', () => {
    const cases: Array<[string, number, RegExp]> = [
      ['a ==', 4, /expected a value but found the end/],
      ['a == 1 b', 7, /after a complete expression/],
      ['(a == 1', 7, /expected "\)"/],
      ['a | nofilter', 4, /unknown filter "nofilter"/],
      ['a is weird', 5, /unknown test "weird"/],
      ["'open", 0, /unterminated string/],
      ['a and or b', 6, /keyword "or"/],
      ['a; rm -rf /', 1, /unexpected character ";"/],
    ];
    for (const [src, off, msg] of cases) {
      try {
        parseWhen(src);
        throw new Error(`no error for ${src}`);
      } catch (e) {
        expect(e).toBeInstanceOf(WhenError);
        expect((e as WhenError).offset, src).toBe(off);
        expect((e as Error).message).toMatch(msg);
      }
    }
  });

  test('no code runs: names never call functions or reach prototypes', () => {
    expect(when('constructor is defined', {})).toBe(false);
    expect(when('list.constructor is defined', { list: [] })).toBe(false);
    expect(when('m.__proto__ is defined', { m: {} })).toBe(false);
    expect(when('name.length is defined', { name: 'x' })).toBe(false);
  });
});
