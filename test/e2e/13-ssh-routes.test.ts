import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { getLab, labSkipReason, type LabHandle } from '../helpers/lab.js';
import { validHostLines } from '../helpers/jsonl.js';

// Routes from ssh config and the inventory's ssh args, on the real lab, through the CLI:
// a host behind a two-hop ProxyJump chain (controller > h01 > hidden01 > hidden02) and a host
// behind a ProxyCommand (`ssh -W` through another lab host). In each target's namespace an
// iptables rule lets SSH in only from the last hop, so a direct connection fails: the test
// proves the route was taken, then removes the rules. Both settings sources are used
// (ssh -G and the built-in resolver).

const root = path.resolve(import.meta.dirname, '../..');
const cli = path.join(root, 'dist', 'cli.js');
const MARK = 'minesweep-e2e-13';

interface Run { command: string; code: number | null; stdout: string; stderr: string }
function ms(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: tmp, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ command: args[0]!, code, stdout, stderr }));
  });
}
type Line = Record<string, unknown> & { host: string; status?: string; reason?: string; output?: { stdout: string }; details?: Record<string, unknown> };
/** The host lines of a --json run, once its whole stream validated (schema, run line first, summary last with the exit code). */
const lines = (r: Pick<Run, 'command' | 'code' | 'stdout'>): Line[] => validHostLines(r) as unknown as Line[];

/** Processes whose command line names `needle` (read from /proc; nothing is killed here). */
function processesNaming(needle: string): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (readFileSync(`/proc/${d}/cmdline`, 'utf8').includes(needle)) out.push(Number(d));
    } catch {
      /* gone */
    }
  }
  return out;
}

let lab: LabHandle;
let tmp: string;
let inv: string;
let direct: string;
let proxyConfig: string;
const onlyFrom = (address: string) => `INPUT -p tcp --dport 22 ! -s ${address} -m comment --comment ${MARK} -j REJECT --reject-with tcp-reset`;
const rules: Array<{ host: string; rule: string }> = [];

describe.skipIf(labSkipReason())('ssh routes: a two-hop ProxyJump chain and a ProxyCommand, direct routes blocked', () => {
  let bastion: ReturnType<LabHandle['host']>;
  let hop2: ReturnType<LabHandle['host']>;
  let chained: ReturnType<LabHandle['host']>;
  let relay: ReturnType<LabHandle['host']>;
  let proxied: ReturnType<LabHandle['host']>;

  beforeAll(async () => {
    lab = await getLab();
    tmp = mkdtempSync(path.join(os.tmpdir(), 'ms-e2e-routes-'));
    const t = lab.groundTruth;
    bastion = lab.host(t.lab.bastion!);
    const hidden = t.hosts.filter((h) => h.hidden);
    [hop2, chained] = [hidden[0]!, hidden[1]!];
    const visible = t.hosts.filter((h) => !h.hidden && !h.bastion);
    [relay, proxied] = [visible[0]!, visible[visible.length - 1]!];
    // the ProxyCommand is real OpenSSH; its own config file names this test's temp dir, which
    // also tells its processes apart from everyone else's
    proxyConfig = path.join(tmp, 'proxy_ssh_config');
    writeFileSync(proxyConfig, readFileSync(lab.sshConfigPath, 'utf8'));
    const cfg = lab.sshConfigPath;
    inv = path.join(tmp, 'routes.yml');
    writeFileSync(inv, [
      'all:',
      '  hosts:',
      '    chained:',
      `      ansible_host: ${chained.address}`,
      `      ansible_ssh_common_args: -F ${cfg} -o ProxyJump=root@${bastion.address},root@${hop2.address}`,
      '    proxied:',
      `      ansible_host: ${proxied.address}`,
      `      ansible_ssh_common_args: -F ${cfg} -o 'ProxyCommand=ssh -F ${proxyConfig} -W %h:%p root@${relay.address}'`,
      '',
    ].join('\n'));
    // the same hosts reached the way the lab inventory does (chained: through the bastion alone; proxied: directly)
    direct = path.join(tmp, 'direct.yml');
    writeFileSync(direct, [
      'all:',
      '  hosts:',
      `    chained: { ansible_host: ${chained.address}, ansible_ssh_common_args: "-F ${cfg} -o ProxyJump=root@${bastion.address}" }`,
      `    proxied: { ansible_host: ${proxied.address}, ansible_ssh_common_args: "-F ${cfg}" }`,
      '',
    ].join('\n'));
    rules.push({ host: chained.name, rule: onlyFrom(hop2.address) }, { host: proxied.name, rule: onlyFrom(relay.address) });
    for (const r of rules) {
      const x = await lab.exec(r.host, `iptables -I ${r.rule}`);
      if (x.code !== 0) throw new Error(`iptables on ${r.host}: ${x.stderr}`);
    }
  });

  afterAll(async () => {
    for (const r of rules) await lab.exec(r.host, `while iptables -D ${r.rule} 2>/dev/null; do :; done`);
    if (tmp) {
      for (const pid of processesNaming(tmp)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('`minesweep hosts` shows both routes before anything connects', async () => {
    const r = await ms(['hosts', '-i', inv, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const byHost = new Map(lines(r).map((l) => [l.host, l]));
    expect([...byHost.values()].map((l) => [l.host, l['stage'], l.status])).toEqual([['chained', 'resolve', 'ok'], ['proxied', 'resolve', 'ok']]);
    const jumps = byHost.get('chained')!.details!['jumps'] as Array<{ address: string; user: string; port: number }>;
    expect(jumps.map((j) => `${j.user}@${j.address}:${j.port}`)).toEqual([`root@${bastion.address}:22`, `root@${hop2.address}:22`]);
    expect(byHost.get('proxied')!.details!['proxyCommand']).toBe(`ssh -F ${proxyConfig} -W ${proxied.address}:22 root@${relay.address}`);
  });

  it('the direct routes are blocked: through the bastion alone, or straight to the host, both fail', async () => {
    const r = await ms(['ping', '-i', direct, '--json', '--connect-timeout', '5']);
    const res = new Map(lines(r).map((l) => [l.host, l]));
    expect(res.get('chained')!.status).toBe('unreachable');
    expect(res.get('proxied')!.status).toBe('unreachable');
    expect(r.code).toBe(4);
  });

  for (const resolver of ['ssh -G', 'built-in'] as const)
    it(`both hosts are reached through their routes (${resolver} resolver); each sees its last hop as the client`, async () => {
      const r = await ms(['exec', '-i', inv, '--json', 'echo "$SSH_CONNECTION"; hostname'], resolver === 'built-in' ? { MINESWEEP_SSH: 'none' } : {});
      const res = new Map(lines(r).map((l) => [l.host, l]));
      expect(res.get('chained')!.status, res.get('chained')!.reason).toBe('ok');
      expect(res.get('proxied')!.status, res.get('proxied')!.reason).toBe('ok');
      const [chainedFrom, , chainedTo] = res.get('chained')!.output!.stdout.split(/\s+/);
      expect([chainedFrom, chainedTo]).toEqual([hop2.address, chained.address]);
      const [proxiedFrom, , proxiedTo] = res.get('proxied')!.output!.stdout.split(/\s+/);
      expect([proxiedFrom, proxiedTo]).toEqual([relay.address, proxied.address]);
      expect(r.code).toBe(0);
      // the ProxyCommand's ssh was stopped when the connection ended
      expect(processesNaming(proxyConfig)).toEqual([]);
    });

  it('a ProxyCommand that fails says why (its stderr), and the host alone is unreachable', async () => {
    const bad = path.join(tmp, 'bad.yml');
    writeFileSync(bad, `all:\n  hosts:\n    broken:\n      ansible_host: ${proxied.address}\n      ansible_ssh_common_args: -F ${lab.sshConfigPath} -o 'ProxyCommand=sh -c "echo no route via relay >&2; exit 3"'\n    chained:\n      ansible_host: ${chained.address}\n      ansible_ssh_common_args: -F ${lab.sshConfigPath} -o ProxyJump=root@${bastion.address},root@${hop2.address}\n`);
    const r = await ms(['ping', '-i', bad, '--json']);
    const res = new Map(lines(r).map((l) => [l.host, l]));
    expect(res.get('broken')!.status).toBe('unreachable');
    expect(res.get('broken')!.reason).toMatch(/ProxyCommand .* exited with status 3: no route via relay/);
    expect(res.get('chained')!.status).toBe('ok');
    expect(r.code).toBe(4);
  });
});
