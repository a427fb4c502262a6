import { describe, expect, it } from 'vitest';
import { indent, remoteText, statusLine, summary } from '../../../src/commands/host-output.js';
import type { HostResult } from '../../../src/core/result.js';

const r = (host: string, status: HostResult['status'], reason?: string): HostResult => ({ host, status, startedAt: '', durationMs: 12, ...(reason ? { reason } : {}) });

describe('host output', () => {
  it('escapes remote control characters and raw bytes, keeps newlines', () => {
    expect(remoteText(Buffer.from([0x61, 0x1b, 0x5b, 0x32, 0x4a, 0x0a, 0xff, 0x62]))).toBe('a\\e[2J\n\\xffb');
  });
  it('status line with the reason under hosts that did not end ok; reason escaped too', () => {
    expect(statusLine(r('h1', 'ok'), 'rc=0')).toBe('h1 | OK | rc=0 | 12ms');
    expect(statusLine(r('h2', 'unreachable', 'refused\x1b[31m'))).toBe('h2 | UNREACHABLE | 12ms\n  refused\\e[31m');
  });
  it('indents blocks and counts statuses', () => {
    expect(indent('a\nb\n', '> ')).toBe('> a\n> b');
    expect(summary([r('a', 'ok'), r('b', 'failed'), r('c', 'unreachable')])).toBe('ok=1 changed=0 failed=1 unreachable=1 skipped=0');
  });
});
