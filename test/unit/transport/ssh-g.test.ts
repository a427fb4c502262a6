import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { builtinSource, localSide, loadResolveEnv } from '../../../src/transport/env.js';
import { findSsh, parseSshG } from '../../../src/transport/openssh.js';
import { parseJumpSpec } from '../../../src/transport/ssh-config.js';
import { buildTarget, connectionOf, type ResolveEnv } from '../../../src/transport/target.js';
import { checkStream } from '../../helpers/jsonl.js';

// The resolution minesweep connects with, compared with OpenSSH's own `ssh -G` on the
// fixtures in test/fixtures/ssh-config (Match, Include, ProxyCommand, ProxyJump chains,
// tokens, HostKeyAlias, CertificateFile), for both sources: ssh -G (what runs where OpenSSH
// is installed) and the built-in resolver. Expected values come from ssh itself: the host's
// fields from `ssh -G`, identity files expanded by ssh (passed back as UserKnownHostsFile,
// which ssh -G prints expanded), and each jump hop from `ssh -G` run the way ssh runs a hop.

// every case forks ssh -G several times: generous time on a loaded machine
vi.setConfig({ testTimeout: 180_000 });
const ssh = findSsh();
const root = path.resolve(import.meta.dirname, '../../..');
const fixtures = path.join(root, 'test/fixtures/ssh-config');
let dir: string;
const env = { ...process.env, MINESWEEP_FIXTURE_KEYS: '/srv/keys' };

function sshG(args: string[]): Map<string, string[]> {
  const r = spawnSync(ssh!, ['-G', ...args], { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) throw new Error(`ssh -G ${args.join(' ')}: ${r.stderr}`);
  return parseSshG(r.stdout);
}

/** Paths expanded by ssh itself: handed back as UserKnownHostsFile, which ssh -G prints expanded. */
function expandedBySsh(conf: string, pre: string[], host: string, raw: string[]): string[] {
  if (raw.length === 0) return [];
  return sshG(['-F', conf, ...pre, '-o', `UserKnownHostsFile=${raw.join(' ')}`, '--', host]).get('userknownhostsfile')![0]!.split(' ');
}

interface Hop { address: string; port: number; user: string; identityFiles: string[]; knownHostsFiles: string[]; hostKeyAlias: string | null }

/** What ssh connects to for `ssh [pre] host` with -F conf: the host's fields and its hops, all from ssh -G. */
function expected(conf: string, pre: string[], host: string): Hop & { jumps: Hop[]; proxyCommand: string | null; certificateFiles: string[] } {
  const g = sshG(['-F', conf, ...pre, '--', host]);
  const one = (k: string) => g.get(k)?.[0];
  const hop: Hop = {
    address: one('hostname')!, port: Number(one('port')), user: one('user')!,
    identityFiles: expandedBySsh(conf, pre, host, g.get('identityfile') ?? []),
    knownHostsFiles: [...one('userknownhostsfile')!.split(' '), ...one('globalknownhostsfile')!.split(' ')],
    hostKeyAlias: one('hostkeyalias') ?? null,
  };
  let jumps: Hop[] = [];
  const pj = one('proxyjump');
  if (pj && pj !== 'none') {
    const hops = pj.split(',');
    const spec = parseJumpSpec(hops[hops.length - 1]!);
    const hopPre = [...(spec.user ? ['-l', spec.user] : []), ...(spec.port ? ['-p', String(spec.port)] : []), ...(hops.length > 1 ? ['-J', hops.slice(0, -1).join(',')] : [])];
    const e = expected(conf, hopPre, spec.host);
    jumps = [...e.jumps, { address: e.address, port: e.port, user: e.user, identityFiles: e.identityFiles, knownHostsFiles: e.knownHostsFiles, hostKeyAlias: e.hostKeyAlias }];
  }
  const pc = one('proxycommand');
  const proxyCommand = pc && pc !== 'none' ? pc.replace(/%([hpnr%])/g, (_, t: string) => ({ h: hop.address, p: String(hop.port), n: host, r: hop.user, '%': '%' })[t]!) : null;
  return { ...hop, jumps, proxyCommand, certificateFiles: expandedBySsh(conf, pre, host, g.get('certificatefile') ?? []) };
}

const pick = (c: Record<string, unknown>): Hop => ({
  address: c['address'] as string, port: c['port'] as number, user: c['user'] as string, identityFiles: c['identityFiles'] as string[],
  knownHostsFiles: c['knownHostsFiles'] as string[], hostKeyAlias: c['hostKeyAlias'] as string | null,
});

async function ours(source: 'openssh' | 'builtin', conf: string, host: string, vars: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const base = loadResolveEnv({ forks: 5, sshConfigFile: conf }, env);
  const e: ResolveEnv = source === 'openssh' ? base : { ...base, source: builtinSource(localSide(env)) };
  return connectionOf(await buildTarget({ name: host, groups: ['all'], vars }, e), e.opts);
}

const CASES: Array<{ conf: string; hosts: string[] }> = [
  { conf: 'match.conf', hosts: ['web-1', 'db-1', 'app-1', 'legacy', 'other', 'web-root'] },
  { conf: 'include.conf', hosts: ['web-1', 'web-2', 'db-3', 'never-1', 'plain'] },
  { conf: 'proxy.conf', hosts: ['via-nc-1', 'via-ssh-W', 'bastion2', 'deep', 'chain3', 'plainhop', 'both', 'quoted'] },
  { conf: 'tokens.conf', hosts: ['tok-a', 'aliased'] },
];

describe.skipIf(!ssh)('resolution compared with OpenSSH ssh -G', () => {
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ms-sshg-'));
    cpSync(fixtures, dir, { recursive: true });
    writeFileSync(path.join(dir, 'include.conf'), readFileSync(path.join(dir, 'include.conf.in'), 'utf8').replaceAll('@DIR@', dir));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const c of CASES)
    for (const host of c.hosts)
      it(`${c.conf} ${host}: ssh -G, the built-in resolver and OpenSSH agree`, async () => {
        const conf = path.join(dir, c.conf);
        const want = expected(conf, [], host);
        for (const source of ['openssh', 'builtin'] as const) {
          const got = await ours(source, conf, host);
          expect(pick(got), `${source} ${host}`).toEqual({ address: want.address, port: want.port, user: want.user, identityFiles: want.identityFiles, knownHostsFiles: want.knownHostsFiles, hostKeyAlias: want.hostKeyAlias });
          expect((got['jumps'] as Array<Record<string, unknown>>).map(pick), `${source} ${host} jumps`).toEqual(want.jumps);
          expect(got['proxyCommand'], `${source} ${host} ProxyCommand`).toBe(want.proxyCommand);
        }
      });

  it('the inventory user (ansible_user → -o User) changes %r and Match user as it does for ssh -l', async () => {
    const conf = path.join(dir, 'match.conf');
    const want = expected(conf, ['-o', 'User=root'], 'app-1');
    for (const source of ['openssh', 'builtin'] as const) expect(pick(await ours(source, conf, 'app-1', { ansible_user: 'root' }))).toMatchObject({ port: want.port, user: 'root', identityFiles: want.identityFiles });
    expect(want.port).toBe(2202);
    const tok = expected(path.join(dir, 'tokens.conf'), ['-o', 'User=deploy'], 'tok-b');
    expect((await ours('openssh', path.join(dir, 'tokens.conf'), 'tok-b', { ansible_user: 'deploy' }))['identityFiles']).toEqual(tok.identityFiles);
    expect(tok.identityFiles[0]).toContain('_deploy_');
  });

  it('CertificateFile: the files ssh would present are named, and the host fails clearly (ssh2 cannot present them)', async () => {
    const conf = path.join(dir, 'tokens.conf');
    const want = expected(conf, [], 'cert-1');
    expect(want.certificateFiles).toHaveLength(2);
    for (const source of ['openssh', 'builtin'] as const) {
      const err = await ours(source, conf, 'cert-1').then(() => null, (e: Error) => e.message);
      for (const f of want.certificateFiles) expect(err).toContain(`CertificateFile ${f}: ssh2 (the SSH library minesweep uses) cannot present OpenSSH user certificates`);
    }
  });

  it('`minesweep hosts --json` prints the same resolution (the CLI, ssh -G and the built-in resolver)', () => {
    const conf = path.join(dir, 'proxy.conf');
    // the resolved connection of each host line (run and summary lines validated around them)
    const run = (extra: Record<string, string>) => {
      const { lines, problems } = checkStream(execFileSync(process.execPath, [path.join(root, 'dist/cli.js'), 'hosts', '--json', '-F', conf, '-i', 'deep,chain3,via-nc-1,'], { encoding: 'utf8', env: { ...env, ...extra } }), 'hosts', 0);
      expect(problems).toEqual([]);
      return lines.filter((l) => l.type === 'host').map((l) => ({ host: l.host, ...(l['details'] as Record<string, unknown>) }));
    };
    const viaSsh = run({});
    const builtin = run({ MINESWEEP_SSH: 'none' });
    expect(builtin).toEqual(viaSsh);
    const deep = expected(conf, [], 'deep');
    const d = viaSsh.find((h) => h['host'] === 'deep')!;
    expect((d['jumps'] as Array<Record<string, unknown>>).map(pick)).toEqual(deep.jumps);
    expect(deep.jumps.map((j) => j.address)).toEqual(['192.0.2.10', '10.40.0.2']);
  });
});
