import { describe, expect, it } from 'vitest';
import { escapeForTerminal } from '../../../src/core/terminal.js';

describe('escapeForTerminal', () => {
  it('shows control characters instead of obeying them', () => {
    expect(escapeForTerminal('a\u001b[2Jb\nc\td\r\u0007')).toBe('a\\e[2Jb\\nc\\td\\r\\x07');
    expect(escapeForTerminal('x\u202ey')).toBe('x\\u{202e}y');
    expect(escapeForTerminal('\udcff')).toBe('\\xff');
  });
  it('can keep newlines for multi-line output', () => {
    expect(escapeForTerminal('a\nb\u001b', { keepNewlines: true })).toBe('a\nb\\e');
  });
});
