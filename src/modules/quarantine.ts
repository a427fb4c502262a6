import { nothing } from '../actions/types.js';
import { defineModule } from '../playbook/module-types.js';
import { planQuarantine } from '../quarantine/plan.js';
import { markerStatus } from './support/marker-status.js';

// `quarantine`: move paths into the run's host quarantine (type, content hash, mode, owner,
// attributes, link target and link count recorded before the move, on the host and in the
// run's journal); `minesweep rollback` brings them back. Links move as links; FIFOs, sockets
// and devices are recorded and left in place.

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
    return { kind: 'steps', steps: planQuarantine(present, ctx.quarantineDir) };
  },
  stepStatus: markerStatus,
});
