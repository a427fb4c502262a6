import { nothing, steps, type Step } from '../actions/types.js';
import { quote, sh } from '../core/quote.js';
import { defineModule } from '../playbook/module-types.js';

// service: started / stopped / restarted / reloaded, and enabled at boot, through systemd
// when it runs (systemctl) or the SysV `service` / /etc/init.d script otherwise. started and
// stopped are idempotent (the current state is gathered first).

type Args = { name: string; state?: 'started' | 'stopped' | 'restarted' | 'reloaded'; enabled?: boolean };

/** What the gather command prints: manager, active state, enabled state (one per line). */
export const serviceStateCommand = (name: string): string =>
  [
    'if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then echo systemd;',
    `  systemctl is-active -- ${quote(name)} 2>/dev/null || true; systemctl is-enabled -- ${quote(name)} 2>/dev/null || true;`,
    'else echo sysv;',
    `  if service ${quote(name)} status >/dev/null 2>&1 || { [ -x /etc/init.d/${quote(name)} ] && /etc/init.d/${quote(name)} status >/dev/null 2>&1; }; then echo active; else echo inactive; fi;`,
    `  if ls /etc/rc[2345].d/S??${quote(name)} >/dev/null 2>&1; then echo enabled; else echo disabled; fi;`,
    'fi',
  ].join('\n');

export function parseServiceState(stdout: string): { manager: 'systemd' | 'sysv'; active: boolean; enabled: boolean | null } {
  const [manager, active, enabled] = stdout.split('\n').map((s) => s.trim());
  return {
    manager: manager === 'systemd' ? 'systemd' : 'sysv',
    active: active === 'active' || active === 'reloading' || active === 'activating',
    enabled: enabled === 'enabled' || enabled === 'enabled-runtime' || enabled === 'static' || enabled === 'alias' ? true : enabled === 'disabled' || enabled === 'masked' ? false : enabled === undefined || enabled === '' ? null : false,
  };
}

export const module = defineModule<Args>({
  name: 'service',
  description: 'start, stop, restart or reload a service and enable/disable it at boot',
  options: {
    name: { type: 'string', required: true, description: 'service (unit) name, e.g. redis-server' },
    state: { type: 'string', choices: ['started', 'stopped', 'restarted', 'reloaded'], description: 'started | stopped | restarted | reloaded' },
    enabled: { type: 'boolean', description: 'start at boot (true) or not (false)' },
  },
  validate: (a) => (a.state === undefined && a.enabled === undefined ? [{ message: 'nothing asked', expected: 'state: and/or enabled:', got: 'neither', fix: 'add state: started (or enabled: true)' }] : []),
  gather: (a) => ({ commands: { service: serviceStateCommand(a.name) } }),
  plan(a, ctx) {
    const s = parseServiceState(ctx.gathered.commands['service']?.stdout ?? '');
    const b = ctx.become;
    const run = (verb: string): string => (s.manager === 'systemd' ? sh`systemctl ${verb} -- ${a.name}` : sh`service ${a.name} ${verb}`);
    const out: Step[] = [];
    if (a.state === 'started' && !s.active) out.push({ description: `start ${a.name}`, command: run('start'), become: b });
    if (a.state === 'stopped' && s.active) out.push({ description: `stop ${a.name}`, command: run('stop'), become: b });
    if (a.state === 'restarted') out.push({ description: `restart ${a.name}`, command: run('restart'), become: b });
    if (a.state === 'reloaded') out.push({ description: `reload ${a.name}`, command: run(s.active ? 'reload' : 'start'), become: b });
    if (a.enabled !== undefined && s.enabled !== a.enabled) {
      if (s.manager === 'systemd') out.push({ description: `${a.enabled ? 'enable' : 'disable'} ${a.name}`, command: sh`systemctl ${a.enabled ? 'enable' : 'disable'} -- ${a.name}`, become: b });
      else out.push({ description: `${a.enabled ? 'enable' : 'disable'} ${a.name} (SysV)`, command: a.enabled ? sh`update-rc.d ${a.name} defaults 2>/dev/null || chkconfig ${a.name} on` : sh`update-rc.d ${a.name} disable 2>/dev/null || chkconfig ${a.name} off`, become: b });
    }
    return out.length ? steps(...out) : nothing(`${a.name} is already ${s.active ? 'running' : 'stopped'}${a.enabled !== undefined ? ` and ${a.enabled ? 'enabled' : 'disabled'}` : ''}`);
  },
});
