import { steps, nothing } from '../actions/types.js';
import { command as commandLine } from '../core/quote.js';
import { defineModule } from '../playbook/module-types.js';
import { splitWords } from '../playbook/words.js';
import { guardGather, guardReason, RUN_GUARD_OPTIONS, withChdir } from './support/run-guards.js';

// command: run a program with an argv list — each element is passed as exactly one word,
// so templated values need no quoting and no shell syntax ever applies. A string is split
// on spaces (quotes group words) as Ansible does; prefer the list form for values.

export const module = defineModule<{ argv: string | Array<string | number>; chdir?: string; creates?: string; removes?: string; stdin?: string }>({
  name: 'command',
  description: 'run a program with an argv list (no shell; values need no quoting)',
  freeForm: 'argv',
  options: {
    argv: { type: ['list', 'string'], required: true, description: 'the program and its arguments: [prog, arg1, arg2] (or a string split on spaces)' },
    ...RUN_GUARD_OPTIONS,
  },
  validate(args) {
    const argv = typeof args.argv === 'string' ? splitWords(args.argv) : args.argv;
    if (!argv.length) return [{ option: 'argv', message: 'argv is empty', expected: '[program, args…]', got: '[]', fix: 'name the program to run' }];
    const bad = argv.find((a) => typeof a === 'object' && a !== null);
    if (bad !== undefined) return [{ option: 'argv', message: 'argv items must be strings or numbers', expected: 'a list of words', got: JSON.stringify(bad), fix: 'quote the item' }];
    return [];
  },
  gather: (args) => guardGather(args),
  plan(args, ctx) {
    const skip = guardReason(args, ctx);
    if (skip) return nothing(skip);
    const argv = (typeof args.argv === 'string' ? splitWords(args.argv) : args.argv).map(String);
    const line = commandLine(...argv);
    return steps({ description: `run: ${line.length > 100 ? line.slice(0, 100) + '…' : line}`, command: withChdir(args, line), ...(args.stdin !== undefined ? { stdin: args.stdin } : {}), become: ctx.become });
  },
  stepStatus: (_s, r) => (r.code === 0 && !r.timedOut ? 'changed' : 'failed'),
});
