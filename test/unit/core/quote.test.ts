import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { quote, command, sh, Raw } from '../../../src/core/quote.js';
import { decodeLossless, encodeLossless } from '../../../src/core/bytes.js';

// Each quoted word is fed to a real /bin/sh, which must hand back the exact bytes.
function roundTrip(value: string): Buffer {
  return execFileSync('/bin/sh', ['-c', `printf '%s' ${quote(value)}`]);
}

describe('quote', () => {
  const hostile = [
    "it's",
    'a b\tc',
    'new\nline\n',
    '$(touch /tmp/pwned) `id` ${HOME}',
    '"double" \\back',
    '<script>alert(1)</script>',
    '-rf',
    '*?[a]~',
    '\u001b[31mred',
    'ünïcödé 😀',
  ];
  for (const v of hostile) {
    it(`round-trips ${JSON.stringify(v)} through sh`, () => {
      expect(roundTrip(v).toString('utf8')).toBe(v);
    });
  }

  it('round-trips bytes that are not UTF-8', () => {
    const raw = Buffer.from([0x61, 0xff, 0x0a, 0xfe, 0x27, 0x80, 0x0a]);
    const s = decodeLossless(raw);
    expect(encodeLossless(s)).toEqual(raw);
    expect(roundTrip(s)).toEqual(raw);
  });

  it('refuses NUL', () => {
    expect(() => quote('a\0b')).toThrow(/NUL/);
  });

  it('leaves plain words bare and quotes the empty string', () => {
    expect(quote('/usr/bin/ps')).toBe('/usr/bin/ps');
    expect(quote('')).toBe("''");
  });

  it('builds commands from quoted parts', () => {
    expect(command('rm', '-f', "a b'c")).toBe("rm -f 'a b'\\''c'");
    expect(sh`mv ${'a b'} ${'c'}${new Raw(' && ')}echo ${['x y', 'z']}`).toBe("mv 'a b' c && echo 'x y' z");
  });
});
