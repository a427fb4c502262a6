import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeLossless, encodeLossless } from '../../../src/core/bytes.js';
import { quote } from '../../../src/core/quote.js';
import { expandBatch } from '../../../src/probe/batch-records.js';
import { parseProbeOutput } from '../../../src/probe/parse-output.js';
import { ProbeRecord } from '../../../src/probe/records.js';
import { buildScript } from '../../../src/probe/script.js';
import type { ProbeSection } from '../../../src/probe/section.js';
import { textFiles } from '../../../src/probe/text-file.js';

// Directory trees are read in batches (one stat, one lsattr, one readlink, one cat). The real
// script runs here on a hostile tree; every file must come out exactly as ms_file alone
// would give it: bytes, sizes, link targets, the cap, odd names one by one.

const which = (cmd: string): string | null => {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
};
const tmp = mkdtempSync(path.join(tmpdir(), 'ms-batch-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const tree = path.join(tmp, 'tree');
const files: Record<string, Buffer> = {
  'a.conf': Buffer.from('hello\nworld'),
  empty: Buffer.alloc(0),
  binary: Buffer.from([0, 1, 2, 0xff, 0xfe, 0x0a, 0, 0x1b, 0x5b, 0x33, 0x31, 0x6d]),
  big: Buffer.alloc(300, 'x'),
  'we ird\nname': Buffer.from('odd name\n'),
  '.hidden': Buffer.from('h\n'),
  'sub/deep.conf': Buffer.from('deep\n'),
  'sub/sub2/too-deep': Buffer.from('not read at depth 2\n'),
  [`\udcff-latin1`]: Buffer.from('raw byte in the name\n'),
};
mkdirSync(path.join(tree, 'sub', 'sub2'), { recursive: true });
// names are lossless strings (core/bytes.ts): \udcff is the raw byte 0xff on disk
for (const [name, bytes] of Object.entries(files)) writeFileSync(encodeLossless(path.join(tree, name)), bytes);
symlinkSync('a.conf', path.join(tree, 'link'));
symlinkSync('/nonexistent/target', path.join(tree, 'dangling'));
symlinkSync('/tmp/x\ny z', path.join(tree, 'odd-target'));
execFileSync('mkfifo', [path.join(tree, 'fifo')]);

const section = (flags: string): ProbeSection => ({
  name: 'tree',
  snippet: `  MS_CAP=$MS_MAXFILES\n  ms_dir ${quote(tree)} ${flags} 2\n`,
  timeoutSeconds: 20,
  parse: (records, ctx) => ({ cron: textFiles(records, ctx) }),
  missing: () => ({ cron: [] }),
});

const shells: Array<[string, string[], string | undefined]> = [['sh', ['sh'], undefined]];
if (which('dash')) shells.push(['dash', ['dash'], undefined]);
if (which('busybox')) {
  const bb = path.join(tmp, 'bb');
  mkdirSync(bb);
  for (const a of execFileSync('busybox', ['--list'], { encoding: 'utf8' }).split('\n').filter(Boolean)) symlinkSync(which('busybox')!, path.join(bb, a));
  shells.push(['busybox (no GNU readlink -z: links one by one)', [path.join(bb, 'sh')], bb]);
}

describe.each(shells)('ms_dir batches under %s', (_name, shell, bbPath) => {
  it('gives every file exactly, links their targets, big files cut at the cap, odd names one by one', () => {
    const script = buildScript({ fileCap: 100, compress: false, ...(bbPath ? { path: bbPath } : {}) }, [section('l')]);
    const out = execFileSync(shell[0]!, [...shell.slice(1), '-s'], { input: script, maxBuffer: 16 * 1024 * 1024 });
    const f = parseProbeOutput(out, { host: 'local', sections: [section('l')] });
    expect(f.meta.errors).toEqual([]);
    const got = new Map(f.cron.map((x) => [x.path, x]));
    for (const [name, bytes] of Object.entries(files)) {
      const p = path.join(tree, name);
      if (name.includes('too-deep')) {
        expect(got.has(p)).toBe(false);
        continue;
      }
      const t = got.get(p);
      expect(t, name).toBeDefined();
      expect(t!.size, name).toBe(bytes.length);
      expect(t!.truncated, name).toBe(name === 'big');
      expect(t!.content, name).toBe(decodeLossless(name === 'big' ? bytes.subarray(0, 100) : bytes));
      expect(t!.mtime, name).toBe(Math.floor(statSync(encodeLossless(p)).mtimeMs / 1000));
    }
    for (const l of ['link', 'dangling', 'odd-target']) expect(got.get(path.join(tree, l))?.linkTarget, l).toBe(readlinkSync(path.join(tree, l)));
    expect(got.get(path.join(tree, 'link'))!.content).toBe(''); // flag l: a link carries its target only
    expect(got.get(path.join(tree, 'fifo'))!.content).toBe('');
    if (!bbPath) expect(out.toString('latin1')).toContain('@R batch');
  }, 60_000);
});

describe('expandBatch', () => {
  const batch = (fields: Record<string, string>): ProbeRecord => {
    const r = new ProbeRecord('batch');
    for (const [k, v] of Object.entries(fields)) r.fields.set(k, Buffer.from(v, 'latin1'));
    return r;
  };
  const stat = '644 0 0 3 1700000000 81a4 /d/a\n644 0 0 2 1700000001 81a4 /d/b\n777 0 0 9 1700000002 81a4 /d/l\n';

  it('cuts the contents by the stat sizes and maps link targets in order', () => {
    const rs = expandBatch(batch({ flags: 'al', tag: 'x', files: ' /d/a /d/b', links: ' /d/l', read: ' /d/a /d/b', stat, attrs: '----i--- /d/a\n', targets: '/etc/x\0', content: 'abcde' }));
    expect(rs.map((r) => [r.kind, r.str('path'), r.str('content'), r.str('attrs'), r.str('link'), r.str('tag'), r.str('stat')])).toEqual([
      ['f', '/d/a', 'abc', '----i---', '', 'x', '644 0 0 3 1700000000 81a4'],
      ['f', '/d/b', 'de', '', '', 'x', '644 0 0 2 1700000001 81a4'],
      ['f', '/d/l', '', '', '/etc/x', 'x', '777 0 0 9 1700000002 81a4'],
    ]);
  });

  it('a file that changed between stat and cat: no content, marked truncated, never mis-attributed', () => {
    const rs = expandBatch(batch({ flags: 'a', files: ' /d/a /d/b', links: '', read: ' /d/a /d/b', stat, content: 'abcdefg' }));
    expect(rs.map((r) => [r.str('path'), r.str('content'), r.str('trunc')])).toEqual([
      ['/d/a', '', '1'],
      ['/d/b', '', '1'],
    ]);
  });

  it('files over the cap are left to their own record; a vanished link loses only its target', () => {
    const rs = expandBatch(batch({ flags: 'al', files: ' /d/a /d/big', links: ' /d/l /d/gone', read: ' /d/a', stat, content: 'abc', targets: '/etc/x\0' }));
    expect(rs.map((r) => [r.str('path'), r.str('link')])).toEqual([
      ['/d/a', ''],
      ['/d/l', ''],
      ['/d/gone', ''],
    ]);
    expect(existsSync(tree)).toBe(true);
  });
});
