import { steps, nothing } from '../actions/types.js';
import { defineModule } from '../playbook/module-types.js';
import { guardGather, guardReason, RUN_GUARD_OPTIONS, withChdir } from './support/run-guards.js';

// shell: one POSIX sh command line. Values templated into it must be written {{quote x}}
// (a bare {{x}} is refused unless x is a plain word). Always "changed" when it runs, unless
// the task says changed_when; creates/removes make it idempotent.

export const module = defineModule<{ cmd: string; chdir?: string; creates?: string; removes?: string; stdin?: string }>({
  name: 'shell',
  description: 'run a shell command line on the host (template values with {{quote x}})',
  freeForm: 'cmd',
  options: {
    cmd: { type: 'string', required: true, description: 'the command line (sh syntax; write {{quote var}} for values)' },
    ...RUN_GUARD_OPTIONS,
  },
  gather: (args) => guardGather(args),
  plan(args, ctx) {
    const skip = guardReason(args, ctx);
    if (skip) return nothing(skip);
    return steps({ description: `sh: ${args.cmd.length > 100 ? args.cmd.slice(0, 100) + '…' : args.cmd}`, command: withChdir(args, args.cmd), ...(args.stdin !== undefined ? { stdin: args.stdin } : {}), become: ctx.become });
  },
  stepStatus: (_s, r) => (r.code === 0 && !r.timedOut ? 'changed' : 'failed'),
});
