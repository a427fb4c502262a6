import type { Command } from 'commander';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { startBusy } from '../lab/busy.js';
import { labDown } from '../lab/down.js';
import { FAULT_KINDS, labFault, type FaultKind } from '../lab/fault.js';
import { readState, stateFile } from '../lab/state.js';
import { labStatus } from '../lab/status.js';
import { DEFAULT_DIR, DEFAULT_SUBNET, labUp } from '../lab/up.js';
import { byName, DETECTION_SET } from '../lab/scenarios/index.js';
import { SUMMARIES } from './summaries.js';

// `minesweep lab up|down|status|fault`: a practice fleet of real Linux hosts on this machine.

function fail(e: unknown): never {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(2);
}

/** The lab directory and subnet when no option names them: MINESWEEP_LAB_DIR / MINESWEEP_LAB_SUBNET, else the defaults. */
const labDir = (): string => process.env['MINESWEEP_LAB_DIR'] || DEFAULT_DIR;
const labSubnet = (): string => process.env['MINESWEEP_LAB_SUBNET'] || DEFAULT_SUBNET;

export function register(program: Command): void {
  const lab = program.command('lab').description(SUMMARIES.lab.description);
  lab.command('up')
    .description('create the lab: hosts in namespaces, each with sshd, cron and a scenario')
    .option('--hosts <n>', 'number of hosts (pool and hidden hosts come on top)', '8')
    .option('--dir <dir>', 'lab directory (key, inventory, ground truth, state; $MINESWEEP_LAB_DIR when set)', labDir())
    .option('--subnet <cidr>', 'private /24 for the lab, $MINESWEEP_LAB_SUBNET when set', labSubnet())
    .option('--bastion', 'put 2 hidden hosts behind the first host (subnet third octet + 100)', false)
    .option('--hidden-hosts <n>', 'hidden hosts behind the bastion', '2')
    .option('--scenarios <list>', 'comma-separated scenario names, round-robin over the hosts (e.g. the field scenarios: watchdogs,migo,…,prod-web; "detection" = all of them and a clean host)')
    .option('--busy <n>', 'give every host N extra processes shaped like a real server\'s (idle workers, supervisors, log followers, pipelines)', '0')
    .option('--saturate', 'and keep every host\'s CPUs busy (nice-19 busy loops, not miners)', false)
    .action(async (o: { hosts: string; dir: string; subnet: string; bastion: boolean; hiddenHosts: string; scenarios?: string; busy: string; saturate: boolean }) => {
      try {
        const scenarios = o.scenarios === undefined ? undefined : o.scenarios === 'detection' ? DETECTION_SET : o.scenarios.split(',').map((s) => s.trim()).filter(Boolean);
        for (const s of scenarios ?? []) byName(s);
        const busy = Number(o.busy);
        if (!Number.isInteger(busy) || busy < 0) fail(new Error(`--busy must be a whole number of processes, got ${JSON.stringify(o.busy)}`));
        const t = await labUp({ dir: o.dir, subnet: o.subnet, hosts: Number(o.hosts), bastion: o.bastion, hiddenHosts: Number(o.hiddenHosts), ...(scenarios ? { scenarios } : {}) }, (l) => console.error(l));
        if (busy > 0 || o.saturate)
          for (const h of t.hosts) console.error(`lab: ${h.name} busy: ${await startBusy(t.lab.dir, h.name, { processes: busy, saturate: o.saturate })} processes`);
        console.log(`lab up: ${t.hosts.length} hosts in ${t.lab.dir}`);
        console.log(`  inventory:   ${t.lab.inventory}`);
        console.log(`  key:         ${t.lab.privateKey}`);
        console.log(`  known_hosts: ${t.lab.knownHosts}`);
        console.log(`  truth:       ${t.lab.dir}/ground-truth.json`);
        console.log(`  try: ssh -i ${t.lab.privateKey} -o UserKnownHostsFile=${t.lab.knownHosts} root@${t.hosts[0]?.address}`);
      } catch (e) {
        fail(e);
      }
    });
  lab.command('down')
    .description('remove everything the lab made (safe to repeat)')
    .option('--dir <dir>', 'lab directory, $MINESWEEP_LAB_DIR when set', labDir())
    .option('--all', `every lab whose directory is in ${path.dirname(DEFAULT_DIR)} (CI clean-up)`)
    .action(async (o: { dir: string; all?: boolean }) => {
      try {
        const root = path.dirname(DEFAULT_DIR);
        const dirs = o.all
          ? existsSync(root)
            ? readdirSync(root).map((d) => path.join(root, d)).filter((d) => existsSync(stateFile(d)))
            : []
          : [o.dir];
        if (o.all && !dirs.length) console.log(`no lab in ${root}`);
        for (const d of dirs) await labDown(d, (l) => console.log(l));
      } catch (e) {
        fail(e);
      }
    });
  lab.command('status')
    .description('show the lab hosts and their state')
    .option('--dir <dir>', 'lab directory, $MINESWEEP_LAB_DIR when set', labDir())
    .action(async (o: { dir: string }) => {
      try {
        const s = await labStatus(o.dir);
        if (!s) {
          console.log(`no lab in ${o.dir}`);
          process.exitCode = 1;
          return;
        }
        console.log(`lab ${s.dir}: ${s.up ? 'up' : 'DEGRADED or down'}`);
        for (const h of s.hosts) {
          console.log(`  ${h.name.padEnd(9)} ${h.address.padEnd(16)} ${h.role.padEnd(7)} netns:${h.netns ? 'yes' : 'no '} procs:${String(h.processes).padStart(3)} ssh:${h.ssh === null ? '-  ' : h.ssh ? 'yes' : 'no '} setup:${h.setup}`);
        }
        for (const r of readState(o.dir)?.resources ?? []) if (r.type === 'fault') console.log(`  fault: ${r.host} ${r.kind}${r.pids ? ` (pids ${r.pids.join(', ')})` : ''}`);
        if (!s.up) process.exitCode = 1;
      } catch (e) {
        fail(e);
      }
    });
  lab.command('fault')
    .description('inject a fault on one lab host: stop|cont (SIGSTOP/SIGCONT its sshd and sessions), drop|undrop (iptables DROP of all its traffic), kill-sshd, slow (tc netem), clear (undo all); recorded, `lab down` undoes everything')
    .argument('<host>', 'lab host name (h01, hidden01, …)')
    .argument('<kind>', FAULT_KINDS.join('|'))
    .option('--dir <dir>', 'lab directory, $MINESWEEP_LAB_DIR when set', labDir())
    .option('--delay <netem>', 'slow: added delay', '300ms')
    .option('--loss <netem>', 'slow: packet loss, e.g. 5%')
    .action(async (host: string, kind: string, o: { dir: string; delay: string; loss?: string }) => {
      try {
        if (!(FAULT_KINDS as readonly string[]).includes(kind)) throw new Error(`unknown fault ${JSON.stringify(kind)}: expected one of ${FAULT_KINDS.join(', ')}`);
        console.log(await labFault(o.dir, host, kind as FaultKind, { delay: o.delay, ...(o.loss ? { loss: o.loss } : {}) }));
      } catch (e) {
        fail(e);
      }
    });
}
