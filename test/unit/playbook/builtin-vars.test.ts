import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { taskScope } from '../../../src/playbook/executor.js';
import { parsePlaybook } from '../../../src/playbook/parse.js';
import { getModule, loadModules, moduleNames } from '../../../src/playbook/registry.js';
import { renderValue } from '../../../src/playbook/template.js';
import type { Playbook } from '../../../src/playbook/types.js';

// The built-in playbooks hand the documented variables to their modules, and the
// inventory's host vars win over the playbooks' defaults.

const builtin = path.resolve(import.meta.dirname, '../../../playbooks');

async function load(name: string): Promise<Playbook> {
  await loadModules();
  const file = path.join(builtin, name);
  return parsePlaybook(readFileSync(file, 'utf8'), file, getModule, moduleNames());
}

async function argsOf(name: string, module: string, hostVars: Record<string, unknown>, extraVars: Record<string, unknown> = {}) {
  const pb = await load(name);
  const play = pb.plays[0]!;
  const task = play.tasks.find((t) => t.module === module)!;
  const scope = taskScope(hostVars, 'h1', ['all'], play, task, { findings: [], registered: {} }, { extraVars, check: true });
  return renderValue(task.args, scope) as Record<string, unknown>;
}

describe('built-in playbook variables', () => {
  test('harden-ssh.yml passes ssh_allowed_keys to authorized_key and sshd_options to sshd_config', async () => {
    expect(await argsOf('harden-ssh.yml', 'authorized_key', { ssh_allowed_keys: ['SHA256:abc'] })).toEqual({ allow: ['SHA256:abc'] });
    expect(await argsOf('harden-ssh.yml', 'authorized_key', {})).toEqual({ allow: null });
    expect(await argsOf('harden-ssh.yml', 'sshd_config', { sshd_options: { MaxAuthTries: 3 } })).toEqual({ settings: { MaxAuthTries: 3 } });
  });

  test('harden-redis.yml passes redis_password, redis_bind and redis_user', async () => {
    expect(await argsOf('harden-redis.yml', 'redis_harden', { redis_password: 'pw-from-inventory', redis_bind: ['127.0.0.1'], redis_user: 'redis' })).toEqual({ password: 'pw-from-inventory', bind: ['127.0.0.1'], user: 'redis' });
    expect(await argsOf('harden-redis.yml', 'redis_harden', {})).toEqual({ password: null, bind: null, user: null });
  });

  test('inventory host vars win over play vars; extra vars win over both', async () => {
    expect((await argsOf('harden-firewall.yml', 'iptables', { harden_block_addresses: ['203.0.113.9'] }))['block_addresses']).toEqual(['203.0.113.9']);
    expect((await argsOf('harden-firewall.yml', 'iptables', {}))['block_addresses']).toEqual([]);
    expect((await argsOf('harden-firewall.yml', 'iptables', { harden_block_addresses: ['203.0.113.9'] }, { harden_block_addresses: ['198.51.100.7'] }))['block_addresses']).toEqual(['198.51.100.7']);
  });
});
