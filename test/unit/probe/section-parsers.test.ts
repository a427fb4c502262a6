import { describe, expect, it } from 'vitest';
import { fingerprint, parseAuthorizedKeyLine } from '../../../src/probe/authorized-keys.js';
import { readProbeOutput } from '../../../src/probe/records.js';
import { parseCmdline, parseStat } from '../../../src/probe/sections/processes.js';
import { decodeAddress } from '../../../src/probe/sections/sockets.js';
import { execStartLines } from '../../../src/probe/sections/units.js';

describe('records framing', () => {
  it('decodes base64 and od hex fields to the same bytes; literal fields as written', () => {
    const bytes = Buffer.from('a\nb\0\xff', 'latin1');
    const b64 = `@MINESWEEP 1 b\n@S s\n@R k\n@L n 42\n@B v\n${bytes.toString('base64')}\n@E s 0 10\n@END\n`;
    const hex = `@MINESWEEP 1 x\n@S s\n@R k\n@L n 42\n@B v\n ${[...bytes].map((x) => x.toString(16).padStart(2, '0')).join(' ')}\n@E s 0 10\n@END\n`;
    for (const text of [b64, hex]) {
      const out = readProbeOutput(Buffer.from(text));
      const r = out.sections.get('s')!.records[0]!;
      expect(r.bytes('v')).toEqual(bytes);
      expect(r.num('n')).toBe(42);
      expect(out.sections.get('s')).toMatchObject({ rc: 0, ms: 10 });
      expect(out.complete).toBe(true);
    }
  });

  it('reports stray lines and a section that never ended', () => {
    const out = readProbeOutput(Buffer.from('@MINESWEEP 1 b\n@S s\n@R k\nstray\n@B v\nYQ=='));
    expect(out.problems).toEqual(['1 stray line(s) outside any field']);
    expect(out.sections.get('s')!.rc).toBeNull();
    expect(out.sections.get('s')!.records[0]!.str('v')).toBe('a');
    expect(out.complete).toBe(false);
  });
});

describe('process parsers', () => {
  it('takes comm between the first ( and the last ), whatever it holds', () => {
    const st = parseStat(Buffer.from('77 (a) b) S\n(x) S 1 77 77 0 -1 4194560 1 0 0 0 150 50 0 0 20 0 1 0 1234 0 0\n'));
    expect(st).toMatchObject({ comm: 'a) b) S\n(x', ppid: 1, ticks: 200, startTicks: 1234 });
  });
  it('splits argv on NULs', () => {
    expect(parseCmdline(Buffer.from('a\0b c\0\0'))).toEqual(['a', 'b c', '']);
    expect(parseCmdline(Buffer.alloc(0))).toEqual([]);
  });
});

describe('socket addresses', () => {
  it('decodes /proc/net little-endian IPv4 and IPv6', () => {
    expect(decodeAddress('0100007F:1A0B')).toEqual(['127.0.0.1', 6667]);
    expect(decodeAddress('00000000000000000000000000000000:18EB')).toEqual(['::', 6379]);
    expect(decodeAddress('00000000000000000000000001000000:0016')).toEqual(['::1', 22]);
    expect(decodeAddress('0000000000000000FFFF00000100007F:0050')).toEqual(['::ffff:127.0.0.1', 80]);
  });
});

describe('authorized_keys lines', () => {
  const blob = 'AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';
  it('computes the OpenSSH SHA256 fingerprint', () => {
    expect(fingerprint(blob)).toBe('SHA256:+DiY3wvvV6TuJJhbpZisF/zLDA0zPMSvHdkr4UvCOqU');
  });
  it('splits options with quoted spaces from the key', () => {
    const k = parseAuthorizedKeyLine(`from="10.0.0.1",command="echo a b" ssh-ed25519 ${blob} me@x y`, 3);
    expect(k).toMatchObject({ line: 3, options: 'from="10.0.0.1",command="echo a b"', type: 'ssh-ed25519', comment: 'me@x y' });
  });
  it('skips comments and blanks; keeps garbage without a fingerprint', () => {
    expect(parseAuthorizedKeyLine('# x', 1)).toBeNull();
    expect(parseAuthorizedKeyLine('   ', 1)).toBeNull();
    expect(parseAuthorizedKeyLine('not a key', 1)?.fingerprint).toBe('');
  });
});

describe('unit files', () => {
  it('reads ExecStart values, joining continuation lines', () => {
    expect(execStartLines('[Service]\nExecStartPre=/bin/true\nExecStart=/tmp/x \\\n  --y\n ExecStart = /bin/z\n')).toEqual(['/tmp/x    --y', '/bin/z']);
  });
});

describe('hidden processes', () => {
  const stat = (pid: number, ppid: number, startTicks: number): string =>
    `${pid} (x) S ${ppid} 1 1 0 -1 4194560 0 0 0 0 10 10 0 0 20 0 1 0 ${startTicks} 0 0`;
  const out = [
    '@MINESWEEP 1 b',
    '@S host', '@R host', '@L now 2000', '@L uptime 1000.00', '@L btime 1000', '@L clktck 100', '@L self 50', '@E host 0 0',
    '@S processes',
    '@R listing', '@L pids  1 9 50',
    '@R p', '@L pid 1', '@L uid 0', `@L stat ${stat(1, 0, 1)}`,
    '@R p', '@L pid 9', '@L uid 0', `@L stat ${stat(9, 1, 100)}`,
    '@R p', '@L pid 50', '@L uid 0', `@L stat ${stat(50, 1, 99990)}`,
    '@R ps', '@B out', Buffer.from('PID\n1\n50\n').toString('base64'),
    '@R listing2', '@L pids  1 9 50 51',
    '@R p', '@L pid 30', '@L hidden missing-from-proc-listing', '@L uid 0', `@L stat ${stat(30, 1, 5000)}`,
    '@R p', '@L pid 31', '@L hidden missing-from-proc-listing', '@L uid 0', `@L stat ${stat(31, 1, 100050)}`,
    '@E processes 0 0', '@END', '',
  ].join('\n');
  it('flags pids missing from ps and from the listing, not the probe itself nor processes born during the scan', async () => {
    const { parseProbeOutput } = await import('../../../src/probe/parse-output.js');
    const f = parseProbeOutput(Buffer.from(out), { host: 'h' });
    expect(f.hiddenPids).toEqual([
      { pid: 30, how: 'missing-from-proc-listing' },
      { pid: 9, how: 'missing-from-ps' },
    ]);
    expect(f.processes.find((p) => p.pid === 9)).toMatchObject({ startTime: 1001, elapsedSeconds: 999, cpuPercent: 0 });
  });
});
