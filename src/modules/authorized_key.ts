import { nothing, refused, steps } from '../actions/types.js';
import { defineModule } from '../playbook/module-types.js';
import { planSsh } from '../harden/ssh.js';
import { markerStatus } from './support/marker-status.js';

// `authorized_key`: reduce every authorized_keys file to an allowlist of fingerprints
// (the controller's login key always kept; an allowlist that would drop it is refused),
// then chmod 400 and chattr +i. Rotating later: chattr -i FILE, edit, chmod 400, chattr +i
// (or run again with the new fingerprint in `allow`).

type Args = { allow?: string[] };

export const module = defineModule<Args>({
  name: 'authorized_key',
  description: "authorized_keys reduced to an allowlist (the controller's key kept), chmod 400, chattr +i",
  options: { allow: { type: 'list', items: 'string', description: 'SHA256:… fingerprints to keep (default: only the controller key)' } },
  plan(a, ctx) {
    if (!ctx.facts) return nothing('no facts: run a probe task first');
    const facts = { ...ctx.facts, sshdConfig: null };
    const p = planSsh(facts, a.allow ? { allowedKeys: a.allow } : {}, ctx.controller, ctx.quarantineDir);
    if ('refused' in p) return refused(p.refused);
    const notes = p.notes.filter((n) => !n.startsWith('sshd_config'));
    const plan = p.steps.length ? steps(...p.steps) : nothing(notes.join('; ') || 'authorized_keys already reduced and locked');
    return notes.length ? { ...plan, data: { notes } } : plan;
  },
  stepStatus: markerStatus,
  // the controller's key is always kept; the fresh login proves it (nothing to put back: the keys removed were not the controller's)
  verifyAccess: {
    after: 'a fresh SSH login works after reducing authorized_keys',
    restored: 'a fresh SSH login works',
    restore: () => null,
  },
});
