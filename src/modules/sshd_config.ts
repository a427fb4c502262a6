import { nothing, refused, steps } from '../actions/types.js';
import { defineModule } from '../playbook/module-types.js';
import { planSsh, sshdRestoreStep } from '../harden/ssh.js';
import { markerStatus } from './support/marker-status.js';

// `sshd_config`: PermitRootLogin prohibit-password, PasswordAuthentication no,
// PermitEmptyPasswords no (+ settings) in a first-value block; `sshd -t` before the
// reload (old file back on failure); reload by SIGHUP, never restart. After a change a fresh
// SSH login must work, else the previous file is put back (the lockout guard).

type Args = { settings?: Record<string, unknown> };

export const module = defineModule<Args>({
  name: 'sshd_config',
  description: 'harden sshd_config, validate with sshd -t, reload (never restart)',
  options: { settings: { type: 'map', description: 'extra sshd settings, e.g. {MaxAuthTries: 3}' } },
  plan(a, ctx) {
    if (!ctx.facts) return nothing('no facts: run a probe task first');
    const facts = { ...ctx.facts, authorizedKeys: [] };
    const p = planSsh(facts, { ...(a.settings ? { sshdOptions: Object.fromEntries(Object.entries(a.settings).map(([k, v]) => [k, Array.isArray(v) ? v.map(String) : String(v)])) } : {}), allowedKeys: [] }, { ...ctx.controller, keyFingerprints: [] }, ctx.quarantineDir);
    if ('refused' in p) return refused(p.refused);
    const plan = p.steps.length ? steps(...p.steps) : nothing(p.notes.join('; ') || 'sshd_config already hardened');
    return p.notes.length ? { ...plan, data: { notes: p.notes } } : plan;
  },
  stepStatus: markerStatus,
  verifyAccess: {
    after: 'a fresh SSH login works after the reload',
    restored: 'a fresh SSH login works with the previous sshd_config',
    restore: (_a, ctx) => (ctx.facts ? sshdRestoreStep(ctx.facts, ctx.controller, ctx.quarantineDir) : null),
  },
});
