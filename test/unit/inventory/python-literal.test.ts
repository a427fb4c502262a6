import { describe, expect, it } from 'vitest';
import { pythonLiteral } from '../../../src/inventory/python-literal.js';

describe('pythonLiteral (INI values, as ast.literal_eval)', () => {
  it.each([
    ['5', 5], ['-5', -5], ['1.5', 1.5], ['0x1F', 31], ['1_000', 1000], ['True', true], ['False', false], ['None', null],
    ["'x'", 'x'], ['"a b"', 'a b'], ["'a' 'b'", 'ab'], ['[1, 2, "x"]', [1, 2, 'x']], ["{'a': 1, 'b': [True]}", { a: 1, b: [true] }],
    ['(1, 2)', [1, 2]], ["'tab\\there'", 'tab\there'],
  ])('%s is a literal', (text, value) => expect(pythonLiteral(text)).toEqual(value));

  it.each(['yes', 'FALSE', 'true', 'http://x/?a=b', '', '010', '1.2.3', 'foo bar', '[1, 2', '{a: 1}'])('%s stays text', (text) =>
    expect(pythonLiteral(text)).toBe(text),
  );
});
