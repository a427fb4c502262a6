import { controllerAddress, formatSubnet, hiddenSubnet, hostAddress, parseSubnet, poolAddress, type Subnet } from './addressing.js';
import { hostIfaces, hostName, labNames, type LabNames } from './naming.js';
import { scenarioFor } from './scenarios/index.js';
import type { LabKey, ScenarioPlan } from './scenarios/types.js';
import type { LabOptions } from './types.js';

// The whole lab as data, before anything is created: names, addresses, scenarios.

export const POOL_PORTS = [3333, 14444, 45700];
export const POOL_HTTP_PORT = 8080;
export const C2_DOMAIN = 'pm.cpuminerpool.invalid';
export const GROUPS = ['web', 'db', 'cache'];

export interface HostPlan {
  name: string;
  /** index into the lab's interface names */
  slot: number;
  role: 'host' | 'pool' | 'hidden';
  address: string;
  netns: string;
  /** root-namespace end (or, for hidden hosts, the bastion's end) of the host's veth */
  veth: string;
  peer: string;
  scenario: string;
  groups: string[];
  plan: ScenarioPlan | null;
  /** the bastion also has this address on the hidden subnet */
  bastionAddress?: string;
}

export interface LabPlan {
  dir: string;
  names: LabNames;
  subnet: Subnet;
  controller: string;
  pool: string;
  hidden: Subnet | null;
  bastion: string | null;
  hosts: HostPlan[];
}

export interface PlanInputs {
  sha256: (family: string) => string;
  keys: Record<string, LabKey>;
}

export function planLab(opts: LabOptions, inputs: PlanInputs): LabPlan {
  const subnet = parseSubnet(opts.subnet);
  if (!Number.isInteger(opts.hosts) || opts.hosts < 1) throw new Error(`--hosts ${opts.hosts}: expected a whole number ≥ 1`);
  const names = labNames(opts.dir);
  const pool = poolAddress(subnet);
  const http = `http://${pool}:${POOL_HTTP_PORT}`;
  const counts = new Map<string, number>();
  const hosts: HostPlan[] = [];
  for (let i = 0; i < opts.hosts; i++) {
    const name = hostName(i, opts.hosts);
    const address = hostAddress(subnet, i);
    const scenario = scenarioFor(i, opts.scenarios);
    const instance = counts.get(scenario.name) ?? 0;
    counts.set(scenario.name, instance + 1);
    const plan = scenario.plan({ host: name, address, pool, http, instance, sha256: inputs.sha256, keys: inputs.keys, c2Domain: C2_DOMAIN });
    const ifs = hostIfaces(names, i);
    hosts.push({ name, slot: i, role: 'host', address, netns: ifs.netns(name), veth: ifs.veth, peer: ifs.peer, scenario: scenario.name, groups: plan.groups ?? [GROUPS[i % GROUPS.length]!], plan });
  }
  const poolIfs = hostIfaces(names, opts.hosts);
  hosts.push({ name: 'pool', slot: opts.hosts, role: 'pool', address: pool, netns: poolIfs.netns('pool'), veth: poolIfs.veth, peer: poolIfs.peer, scenario: 'pool', groups: ['pool'], plan: null });
  let hidden: Subnet | null = null;
  let bastion: string | null = null;
  if (opts.bastion) {
    hidden = hiddenSubnet(subnet);
    const b = hosts[0]!;
    b.bastionAddress = controllerAddress(hidden);
    bastion = b.name;
    for (let k = 0; k < opts.hiddenHosts; k++) {
      const name = `hidden${String(k + 1).padStart(2, '0')}`;
      const address = hostAddress(hidden, k);
      const ifs = hostIfaces(names, opts.hosts + 1 + k);
      const plan = scenarioFor(0).plan({ host: name, address, pool, http, instance: k, sha256: inputs.sha256, keys: inputs.keys, c2Domain: C2_DOMAIN });
      hosts.push({ name, slot: opts.hosts + 1 + k, role: 'hidden', address, netns: ifs.netns(name), veth: ifs.veth, peer: ifs.peer, scenario: 'clean', groups: ['hidden'], plan });
    }
  }
  return { dir: opts.dir, names, subnet, controller: controllerAddress(subnet), pool, hidden, bastion, hosts };
}

export { formatSubnet };
