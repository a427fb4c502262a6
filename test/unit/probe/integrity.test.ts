import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseProbeOutput } from '../../../src/probe/parse-output.js';
import { buildScript } from '../../../src/probe/script.js';
import { sections } from '../../../src/probe/sections/index.js';
import { integritySection } from '../../../src/probe/sections/integrity.js';

// Recorded on this project's Debian machine by test/fixtures/probe/record-integrity.sh: a
// tampered pstree, curl copied to /usr/sbin/kupdated, a hidden file and directory in /usr/sbin,
// an unowned library in /etc/ld.so.preload (overlays in a private mount namespace).
const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/probe');
const only = sections.filter((s) => ['host', 'accounts', 'integrity'].includes(s.name));
const facts = parseProbeOutput(readFileSync(path.join(dir, 'local-integrity.out')), { host: 'local', sections: only });
const file = (p: string) => facts.integrity!.files.find((f) => f.path === p);

describe('integrity section (recorded)', () => {
  it('parses without errors, dpkg, the system directories it listed', () => {
    expect(facts.meta.errors).toEqual([]);
    expect(facts.integrity!.manager).toBe('dpkg');
    expect(facts.integrity!.dirs).toEqual(expect.arrayContaining(['/usr/bin', '/usr/sbin', '/usr/lib']));
  });

  it('the tools a responder relies on are verified against their package', () => {
    for (const t of ['/usr/bin/ls', '/usr/bin/find', '/usr/bin/chattr', '/usr/sbin/sshd']) expect([t, file(t)?.state, file(t)?.reasons]).toEqual([t, 'verified', expect.arrayContaining(['tool'])]);
    expect(file('/usr/bin/ls')!.package).toBe('coreutils');
  });

  it('a replaced tool is modified, with its package, hash, stat and script text', () => {
    const f = file('/usr/bin/pstree')!;
    expect(f).toMatchObject({ state: 'modified', package: 'psmisc', mode: '0755', type: 'file' });
    expect(f.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(f.content).toContain('grep -v kthreadx');
  });

  it('a copy of a package binary under another name is unowned and says what it copies', () => {
    expect(file('/usr/sbin/kupdated')).toMatchObject({ state: 'unowned', copyOf: '/usr/bin/curl', reasons: ['system-dir'] });
  });

  it('hidden entries of system directories and an unowned preloaded library are reported', () => {
    expect(file('/usr/sbin/.sysd')).toMatchObject({ state: 'unowned', type: 'file' });
    expect(file('/usr/sbin/.cache')).toMatchObject({ state: 'unowned', type: 'dir' });
    expect(file('/usr/sbin/.cache/libproc.so')).toMatchObject({ state: 'unowned', reasons: ['preload'] });
  });

  it('verified files carry no stat or content (only deviations travel); names it cannot batch are unknown, never fine', () => {
    expect(file('/usr/bin/ls')).not.toHaveProperty('sha256');
    expect(file('/usr/bin/ls')).not.toHaveProperty('content');
    expect(file('/usr/bin/[')).toMatchObject({ state: 'unknown' });
  });

  it('a missing section leaves integrity unknown: manager none, missing, an error', () => {
    const f = parseProbeOutput(Buffer.from('@MINESWEEP 1 b\n@END\n'), { host: 'x', sections: [integritySection] });
    expect(f.integrity).toEqual({ manager: 'none', dirs: [], files: [], missing: true });
    expect(f.meta.errors.map((e) => e.section)).toEqual(['integrity']);
  });

  it('the package helpers are part of every script and parse under dash and busybox', () => {
    const s = buildScript({ only: ['integrity'] });
    for (const fn of ['ms_pkg_manager()', 'ms_pkg_check()', 'ms_pkg_dpkg()', 'ms_pkg_rpm()', 'ms_pkg_apk()', 'ms_pkg_plain()']) expect(s).toContain(fn);
  });
});
