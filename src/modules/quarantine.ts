import { decodeLossless } from '../core/bytes.js';
import { nothing } from '../actions/types.js';
import { defineModule } from '../playbook/module-types.js';
import { parseQuarantineOutput } from '../quarantine/manifest.js';
import { planQuarantine } from '../quarantine/plan.js';
import { quarantineDirFor } from '../remediate/context.js';
import { markerStatus } from '../remediate/module-bridge.js';

// `quarantine`: move files into the run's host quarantine (content, mode, owner, attributes,
// sha256 recorded on the host and in the run record); `minesweep rollback` brings them back.

type Args = { path?: string; paths?: string[] };

export const module = defineModule<Args>({
  name: 'quarantine',
  description: 'move files into quarantine (never delete); rollback restores them byte-exact',
  freeForm: 'path',
  options: {
    path: { type: 'string', description: 'one absolute path' },
    paths: { type: 'list', items: 'string', description: 'absolute paths' },
  },
  validate(a) {
    const all = [...(a.path ? [a.path] : []), ...(a.paths ?? [])];
    if (!all.length) return [{ message: 'give path or paths', expected: 'an absolute path' }];
    return all.filter((p) => !p.startsWith('/')).map((p) => ({ option: a.path === p ? 'path' : 'paths', message: 'not an absolute path', expected: '/…', got: p }));
  },
  gather: (a) => ({ stat: [...(a.path ? [a.path] : []), ...(a.paths ?? [])] }),
  plan(a, ctx) {
    const present = [...(a.path ? [a.path] : []), ...(a.paths ?? [])].filter((p) => ctx.gathered.files[p]?.exists !== false);
    if (!present.length) return nothing('already gone (nothing to quarantine)');
    return { kind: 'steps', steps: planQuarantine(present, quarantineDirFor(ctx.runId)) };
  },
  stepStatus: markerStatus,
  afterStep: (_s, r, ctx) => ({ quarantine: parseQuarantineOutput(decodeLossless(r.stdout), quarantineDirFor(ctx.runId)) }),
});
