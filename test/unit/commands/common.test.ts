import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { addFleetOptions, exitCodeFor, readFleetOptions, UsageError, writeFailedHosts } from '../../../src/commands/common.js';
import type { HostResult } from '../../../src/core/result.js';

const parse = (argv: string[]): Record<string, unknown> => {
  const cmd = addFleetOptions(new Command('x').exitOverride());
  cmd.parse(argv, { from: 'user' });
  return cmd.opts();
};
const r = (host: string, status: HostResult['status']): HostResult => ({ host, status, startedAt: '', durationMs: 0 });

describe('fleet CLI options', () => {
  it('repeatable -i, limits, numbers in seconds', () => {
    const o = readFleetOptions(parse(['-i', 'a.yml', '-i', 'b.ini', '--limit', '@failed.txt', '--forks', '10', '--timeout', '30', '--connect-timeout', '3', '--become', '--json']));
    expect(o).toMatchObject({ inventory: ['a.yml', 'b.ini'], limit: '@failed.txt', forks: 10, timeoutMs: 30_000, connectTimeoutMs: 3000, become: true, json: true });
  });
  it('defaults: 50 forks, no command timeout, strict unless told', () => {
    const o = readFleetOptions(parse(['-i', 'a.yml']));
    expect(o.forks).toBe(50);
    expect(o.timeoutMs).toBeUndefined();
    expect(o.hostKeyChecking).toBeUndefined();
  });
  it('usage errors say what was expected', () => {
    expect(() => readFleetOptions(parse([]))).toThrow(UsageError);
    expect(() => readFleetOptions(parse(['-i', 'a', '--forks', '0']))).toThrow(/--forks must be a positive number/);
    expect(() => readFleetOptions(parse(['-i', 'a', '--host-key-checking', 'maybe']))).toThrow(/strict, accept-new or off/);
  });
});

describe('exit codes and the failed-hosts file', () => {
  it('0 all ok, 3 some failed, 4 some unreachable', () => {
    expect(exitCodeFor([r('a', 'ok'), r('b', 'changed'), r('c', 'skipped')])).toBe(0);
    expect(exitCodeFor([r('a', 'ok'), r('b', 'failed')])).toBe(3);
    expect(exitCodeFor([r('a', 'failed'), r('b', 'unreachable')])).toBe(4);
  });
  it('lists failed and unreachable hosts one per line, for --limit @FILE', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ms-failed-'));
    expect(writeFailedHosts([r('a', 'ok')], dir)).toBeUndefined();
    const f = writeFailedHosts([r('a', 'ok'), r('b', 'failed'), r('c', 'unreachable')], dir)!;
    expect(readFileSync(f, 'utf8')).toBe('b\nc\n');
  });
});
