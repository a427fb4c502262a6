import { describe, expect, it } from 'vitest';
import { decodeLossless, encodeLossless, hasRawBytes } from '../../../src/core/bytes.js';

describe('lossless bytes', () => {
  it('decodes valid UTF-8 like Buffer.toString', () => {
    const b = Buffer.from('plain ascii, ünïcödé, 😀, 中文', 'utf8');
    expect(decodeLossless(b)).toBe(b.toString('utf8'));
    expect(hasRawBytes(decodeLossless(b))).toBe(false);
  });
  it('keeps invalid bytes, overlongs and surrogates', () => {
    for (const bytes of [[0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xf4, 0x90, 0x80, 0x80], [0x80, 0x41]]) {
      const b = Buffer.from(bytes);
      const s = decodeLossless(b);
      expect(hasRawBytes(s)).toBe(true);
      expect(encodeLossless(s)).toEqual(b);
    }
  });
});

describe('lossless bytes, large', () => {
  it('decodes a long ASCII run without overflowing the stack', () => {
    const b = Buffer.alloc(2_000_000, 0x61);
    expect(decodeLossless(b)).toHaveLength(2_000_000);
  });
});

describe('lossless bytes, BOM and mixed', () => {
  it('keeps a leading BOM and long ASCII runs around a bad byte', () => {
    const b = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.alloc(300_000, 0x62), Buffer.from([0xff]), Buffer.alloc(300_000, 0x63)]);
    const s = decodeLossless(b);
    expect(s.charCodeAt(0)).toBe(0xfeff);
    expect(encodeLossless(s)).toEqual(b);
  });
});
