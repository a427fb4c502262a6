import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeLossless, encodeLossless } from '../../../src/core/bytes.js';
import { parseProbeOutput } from '../../../src/probe/parse-output.js';
import { sections as allSections } from '../../../src/probe/sections/index.js';
// these fixtures were recorded before the integrity and markers sections existed
const recorded = allSections.filter((s) => s.name !== 'integrity' && s.name !== 'markers');

// Fixtures recorded by test/fixtures/probe/record-local.sh (this machine, hostile files
// bind-mounted over /etc/cron.d and /root/.ssh in a private mount namespace).
const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/probe');
const load = (name: string): Buffer => readFileSync(path.join(dir, name));
const bytes = (s: string): string => decodeLossless(Buffer.from(s, 'latin1'));

const HOSTILE_NAME = bytes(`/etc/cron.d/evil\nname "dq" 'sq' \x1b[31mred`);
const HOSTILE_CONTENT = bytes(`* * * * * root /tmp/x\0NUL\x1b[31mred\xff\xfe "dq" 'sq'\n`);
const INVALID_UTF8_NAME = bytes('/etc/cron.d/bad\xff\xfe.cron');
const MARKER_NAME = '/etc/cron.d/@S processes';
const DROP = '/tmp/ms-hostile-fixture/drop';

describe.each(['local-dash.out', 'local-busybox.out'])('recorded probe output %s', (name) => {
  const buf = load(name);
  const f = parseProbeOutput(buf, { host: 'h1', durationMs: 5, sections: recorded });

  it('parses every section without an error', () => {
    expect(f.meta.errors).toEqual([]);
    expect(f.meta.bytes).toBe(buf.length);
    expect(f.host).toBe('h1');
    expect(f.hostname).not.toBe('');
    expect(f.collectedAt).toBeGreaterThan(1.7e9);
    expect(f.cpuCount).toBeGreaterThan(0);
    expect(f.processes.length).toBeGreaterThan(5);
    expect(f.accounts.find((a) => a.name === 'root')?.uid).toBe(0);
    expect(f.shadow.find((s) => s.name === 'root')).toBeDefined();
    expect(f.cron.length).toBeGreaterThan(3);
    expect(f.units.length).toBeGreaterThan(10);
    expect(f.etcHosts?.content).toContain('localhost');
    expect(f.sockets.some((s) => s.state === 'LISTEN')).toBe(true);
  });

  it('keeps hostile cron file names and contents byte-exact', () => {
    const hostile = f.cron.find((c) => c.path === HOSTILE_NAME);
    expect(hostile?.content).toBe(HOSTILE_CONTENT);
    expect(encodeLossless(hostile!.content)).toEqual(Buffer.from(`* * * * * root /tmp/x\0NUL\x1b[31mred\xff\xfe "dq" 'sq'\n`, 'latin1'));
    expect(f.cron.find((c) => c.path === INVALID_UTF8_NAME)?.content).toBe('0 * * * * root /bin/true\n');
  });

  it('is not fooled by a file named like a section marker or content that looks like markers', () => {
    const marker = f.cron.find((c) => c.path === MARKER_NAME);
    expect(marker?.content).toContain('@E cron 0\n@R f\n@L path /etc/passwd\n');
    expect(f.cron.some((c) => c.path === '/etc/passwd')).toBe(false);
    expect(f.knownPaths?.map((k) => k.path)).toContain(`${DROP}/@S host`);
  });

  it('cuts a big file at the size bound and says so', () => {
    const big = f.cron.find((c) => c.path === '/etc/cron.d/big');
    expect(big).toMatchObject({ truncated: true, size: 70000, mode: '0600', owner: 'root' });
    expect(big!.content.length).toBe(64 * 1024);
    expect(f.meta.truncated).toContain('cron');
  });

  it('reads a process posing as a kernel thread, with hostile comm, argv and exe', () => {
    const p = f.processes.find((x) => x.argv[0] === '[kworker/0:1]');
    expect(p).toBeDefined();
    expect(p!.comm).toBe('k\nworker');
    expect(p!.argv).toEqual(['[kworker/0:1]', '-c', expect.stringMatching(/^sleep (300|900); wait$/), '--donate-level', bytes('a\nb\xff\x1b[31m')]);
    expect(p!.exe).toBe(`${DROP}/.hid den/k\nworker`);
    expect(p!.kernelThread).toBe(false);
    // in a dot-directory under /tmp: hashed
    expect(p!.exeSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(f.executables.some((e) => e.pid === p!.pid && e.sha256 === p!.exeSha256)).toBe(true);
    expect(f.knownPaths?.find((k) => k.path === `${DROP}/.hid den/k\nworker`)?.sha256).toBe(p!.exeSha256);
  });

  it('tells kernel threads from processes', () => {
    const kthreads = f.processes.filter((p) => p.kernelThread);
    expect(kthreads.length).toBeGreaterThan(0);
    expect(kthreads.every((p) => p.exe === '' && p.argv.length === 0)).toBe(true);
  });

  it('parses authorized_keys with options, fingerprints and hostile comments', () => {
    const file = f.authorizedKeys.find((a) => a.path === '/root/.ssh/authorized_keys');
    expect(file?.user).toBe('root');
    expect(file!.keys[0]).toMatchObject({ line: 1, options: 'command="/bin/echo hi",no-pty', type: 'ssh-ed25519', fingerprint: 'SHA256:+DiY3wvvV6TuJJhbpZisF/zLDA0zPMSvHdkr4UvCOqU', comment: 'opt@key' });
    expect(file!.keys[1]).toMatchObject({ type: 'ssh-rsa', comment: 'mdrfckr' });
    expect(file!.keys[2]!.comment).toBe(bytes('\x1b]0;pwned\x07\xff'));
    expect(f.authorizedKeysFileSetting).not.toBe('');
  });

  it('never carries a password hash', () => {
    expect(buf.includes('$6$')).toBe(false);
    expect(buf.includes('$y$')).toBe(false);
    expect(JSON.stringify(f.shadow)).not.toMatch(/\$[0-9a-z]+\$/);
    for (const s of f.shadow) expect(['empty', 'locked', 'hash']).toContain(s.password);
  });

  it('builds user names, owners and attributes from the host', () => {
    const crontab = f.cron.find((c) => c.path === '/etc/crontab');
    expect(crontab).toMatchObject({ owner: 'root', group: 'root' });
    expect(crontab!.mode).toMatch(/^0[0-7]{3}$/);
    expect(f.processes.find((p) => p.pid === 1)?.user).toBe('root');
    // a socket's owner is a pid the processes section saw (lab fixtures check named listeners)
    const owned = f.sockets.filter((s) => s.pid !== null);
    expect(owned.filter((s) => f.processes.some((p) => p.pid === s.pid)).length).toBeGreaterThanOrEqual(owned.length / 2);
  });
});

describe('probe output variants', () => {
  it('reads busybox processes in one pass: one procs record with the stat-batched links, no per-PID records', () => {
    const text = load('local-busybox.out').toString('latin1');
    expect(text.match(/^@R procs$/gm)).toHaveLength(1);
    expect(text).toMatch(/^@B slinks$/m);
    expect(text.match(/^@R p$/gm) ?? []).toHaveLength(0);
  });

  it('decodes od hex framing exactly like base64', () => {
    const hex = parseProbeOutput(load('local-hex.out'), { host: 'h', sections: recorded });
    expect(hex.meta.errors.filter((e) => !['processes', 'sockets'].includes(e.section) && e.message !== 'section missing from the output')).toEqual([]);
    expect(hex.cron.find((c) => c.path === HOSTILE_NAME)?.content).toBe(HOSTILE_CONTENT);
    expect(hex.knownPaths?.some((k) => k.path === `${DROP}/.hid den/k\nworker`)).toBe(true);
  });

  it('flags sections that hit their bounds', () => {
    const f = parseProbeOutput(load('local-bounds.out'), { host: 'h', sections: recorded });
    expect(f.processes.length).toBe(5);
    expect(f.meta.truncated).toEqual(expect.arrayContaining(['processes', 'cron']));
    expect(f.cron.length).toBeLessThanOrEqual(3);
    expect(f.cron.every((c) => c.content.length <= 1000)).toBe(true);
  });

  it('gives a failing section its default and an error, and parses the rest', () => {
    const buf = load('local-dash.out');
    // break the host record: the host parser throws "no host record"
    const broken = Buffer.from(buf.toString('latin1').replace('@S host\n@R host\n', '@S host\n@R hozt\n'), 'latin1');
    const f = parseProbeOutput(broken, { host: 'h', sections: recorded });
    expect(f.meta.errors).toEqual([{ section: 'host', message: 'parser failed: no host record' }]);
    expect(f.hostname).toBe('');
    expect(f.cron.find((c) => c.path === HOSTILE_NAME)?.content).toBe(HOSTILE_CONTENT);
  });

  it('survives output cut in the middle (timeout, dropped connection)', () => {
    const buf = load('local-dash.out');
    const cut = buf.subarray(0, buf.indexOf('@S units') + 5000);
    const f = parseProbeOutput(cut, { host: 'h', sections: recorded });
    expect(f.cron.length).toBeGreaterThan(3);
    expect(f.meta.errors.find((e) => e.section === 'units')?.message).toMatch(/did not finish/);
    expect(f.meta.errors.find((e) => e.section === 'ssh')?.message).toMatch(/stopped before this section/);
    expect(f.authorizedKeys).toEqual([]);
  });

  it('says the script did not run when there is no header', () => {
    const f = parseProbeOutput(Buffer.from('sudo: a password is required\n'), { host: 'h', sections: recorded });
    expect(f.meta.errors[0]).toMatchObject({ section: 'probe' });
    expect(f.processes).toEqual([]);
  });
});
