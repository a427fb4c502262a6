import { randomBytes } from 'node:crypto';
import { nothing, steps, type Step } from '../actions/types.js';
import { defineModule } from '../playbook/module-types.js';
import { passwordKept, storeSecrets } from '../harden/redis-secrets.js';
import { planRedis } from '../harden/redis.js';
import { markerStatus } from './support/marker-status.js';

// `redis_harden`: every Redis instance of the host (from facts) gets a password, loopback
// bind, protected mode, dangerous commands disabled, a non-root user; restarted and checked.
// A generated password is kept only in runs/<id>/secrets/ (0600); it is masked everywhere.

type Args = { bind?: string[]; password?: string; user?: string };

const secretOf = new WeakMap<Step, { port: number; password: string }>();

export const module = defineModule<Args>({
  name: 'redis_harden',
  description: 'harden every Redis instance: requirepass, bind, protected-mode, dangerous commands off, not root',
  options: {
    bind: { type: 'list', items: 'string', description: 'addresses to bind (default 127.0.0.1)' },
    password: { type: 'string', description: 'the password to set (default: generated, stored 0600 in the run directory)' },
    user: { type: 'string', description: 'user to run as instead of root (default redis)' },
  },
  plan(a, ctx) {
    if (!ctx.facts) return nothing('no facts: run a probe task first');
    if (!ctx.facts.redis.length) return nothing('no Redis instance on this host');
    const vars = { ...(a.bind ? { bind: a.bind } : {}), ...(a.password ? { password: a.password } : {}), ...(a.user ? { user: a.user } : {}) };
    const plans = planRedis(ctx.facts, vars, () => a.password ?? randomBytes(24).toString('base64url'), ctx.quarantineDir);
    const all: Step[] = [];
    for (const p of plans) for (const s of p.steps) {
      secretOf.set(s, { port: p.port, password: s.mask![0]! });
      all.push(s);
    }
    const notes = plans.filter((p) => p.reason).map((p) => `redis port ${p.port}: ${p.reason}`);
    const plan = all.length ? steps(...all) : nothing(notes.join('; ') || 'Redis already hardened');
    return notes.length ? { ...plan, data: { notes } } : plan;
  },
  stepStatus: markerStatus,
  afterStep(step, r, ctx) {
    const s = secretOf.get(step);
    // the task's result names the file written (secret_files: port -> path), never the password
    if (s && ctx.runDir && passwordKept(markerStatus(step, r))) return { data: { secret_files: { [String(s.port)]: storeSecrets(ctx.runDir, ctx.host, new Map([[s.port, s.password]]))[0] } } };
    return undefined;
  },
});
