import path from 'node:path';
import { stringify } from 'yaml';
import { formatSubnet } from './addressing.js';
import { CONTROLLER_KEY_COMMENT } from './setup-script.js';
import type { LabPlan } from './plan.js';
import { POOL_HTTP_PORT, POOL_PORTS } from './plan.js';
import type { GroundTruth } from './types.js';

// Pure: the lab's Ansible YAML inventory, known_hosts and ground truth from its plan.

export interface LabFiles {
  privateKey: string;
  knownHosts: string;
  inventory: string;
  groundTruth: string;
  sshConfig: string;
}

export function labFiles(dir: string): LabFiles {
  return {
    privateKey: path.join(dir, 'id_ed25519'),
    knownHosts: path.join(dir, 'known_hosts'),
    inventory: path.join(dir, 'inventory.yml'),
    groundTruth: path.join(dir, 'ground-truth.json'),
    sshConfig: path.join(dir, 'ssh_config'),
  };
}

export function sshCommonArgs(files: LabFiles): string {
  return `-o UserKnownHostsFile=${files.knownHosts} -o StrictHostKeyChecking=yes`;
}

/** The inventory: every lab host but the pool (a sweep of `all` must not see the pool's listener). */
export function inventoryYaml(lab: LabPlan, files: LabFiles): string {
  const hosts: Record<string, Record<string, unknown>> = {};
  const children: Record<string, { hosts: Record<string, null>; vars?: Record<string, unknown> }> = {};
  const bastion = lab.hosts.find((h) => h.name === lab.bastion);
  for (const h of lab.hosts) {
    if (h.role === 'pool') continue;
    hosts[h.name] = { ansible_host: h.address, lab_scenario: h.scenario };
    for (const g of h.groups) (children[g] ??= { hosts: {} }).hosts[h.name] = null;
  }
  if (bastion && children.hidden) {
    // ssh hands -F (not -o) to the jump hop: the lab's ssh_config gives the bastion its key and known_hosts
    children.hidden.vars = { ansible_ssh_common_args: `-F ${files.sshConfig} ${sshCommonArgs(files)} -o ProxyJump=root@${bastion.address}` };
  }
  const doc = {
    all: {
      vars: {
        ansible_user: 'root',
        ansible_ssh_private_key_file: files.privateKey,
        ansible_ssh_common_args: sshCommonArgs(files),
      },
      hosts,
      children,
    },
  };
  return `# minesweep lab ${lab.names.id} (${formatSubnet(lab.subnet)}), written by \`minesweep lab up\`\n` + stringify(doc, { nullStr: '' });
}

/**
 * An OpenSSH client config for the lab: `ssh -F DIR/ssh_config h01` (hidden hosts through the
 * bastion). OpenSSH hands -F to a ProxyJump hop, but not -o options, so real ssh needs this.
 */
export function sshConfig(lab: LabPlan, files: LabFiles): string {
  const bastion = lab.hosts.find((h) => h.name === lab.bastion);
  const out: string[] = [`# minesweep lab ${lab.names.id}`];
  for (const h of lab.hosts) {
    out.push(`Host ${h.name}`, `  HostName ${h.address}`);
    if (h.role === 'hidden' && bastion) out.push(`  ProxyJump root@${bastion.address}`);
  }
  out.push('Host *', '  User root', `  IdentityFile ${files.privateKey}`, '  IdentitiesOnly yes', `  UserKnownHostsFile ${files.knownHosts}`,
    '  StrictHostKeyChecking yes', '  BatchMode yes', '  ConnectTimeout 10', '');
  return out.join('\n');
}

/** known_hosts: one plain-address line per host (hidden ones too: reached by ProxyJump). */
export function knownHosts(lab: LabPlan, hostKeys: Map<string, string>): string {
  return lab.hosts.map((h) => `${h.address} ${hostKeys.get(h.name)}\n`).join('');
}

export function groundTruth(lab: LabPlan, files: LabFiles, opsPassword: string, createdAt: Date): GroundTruth {
  return {
    lab: {
      dir: lab.dir,
      id: lab.names.id,
      subnet: formatSubnet(lab.subnet),
      controllerAddress: lab.controller,
      poolAddress: lab.pool,
      poolPorts: POOL_PORTS,
      poolHttpPort: POOL_HTTP_PORT,
      hiddenSubnet: lab.hidden ? formatSubnet(lab.hidden) : null,
      bastion: lab.bastion,
      inventory: files.inventory,
      knownHosts: files.knownHosts,
      sshConfig: files.sshConfig,
      privateKey: files.privateKey,
      controllerKeyComment: CONTROLLER_KEY_COMMENT,
      createdAt: createdAt.toISOString(),
    },
    hosts: lab.hosts.filter((h) => h.role !== 'pool').map((h) => ({
      name: h.name,
      address: h.address,
      scenario: h.scenario,
      family: h.plan?.family ?? null,
      groups: h.groups,
      artifacts: h.plan?.artifacts ?? [],
      expectFindings: h.plan?.expectFindings ?? false,
      respawnSeconds: h.plan?.respawnSeconds ?? null,
      ...(h.plan?.sources ? { sources: h.plan.sources } : {}),
      ...(h.role === 'hidden' ? { hidden: true } : {}),
      ...(h.name === lab.bastion ? { bastion: true } : {}),
    })),
    users: {
      deploy: { sudo: 'nopasswd', key: files.privateKey },
      ops: { sudo: 'password', password: opsPassword, key: files.privateKey },
    },
  };
}
