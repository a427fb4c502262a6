import { nothing } from '../actions/types.js';
import { defineModule } from '../playbook/module-types.js';

// debug: print a message (templated) or a variable; runs nothing on the host.

type Args = { msg?: string; var?: string };

export const module = defineModule<Args>({
  name: 'debug',
  description: 'print a message or a variable (nothing runs on the host)',
  freeForm: 'msg',
  options: {
    msg: { type: ['string', 'number', 'boolean', 'list', 'map'], description: 'text to print (templated)' },
    var: { type: 'string', description: 'name of a variable to print (dotted path)' },
  },
  validate: (a) => (a.msg === undefined && a.var === undefined ? [{ message: 'give msg or var', expected: 'msg: "…" or var: name', got: 'neither', fix: 'add msg:' }] : []),
  plan(a, ctx) {
    if (a.var !== undefined) {
      let v: unknown = ctx.vars;
      for (const k of a.var.split('.')) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
      return nothing(`${a.var} = ${v === undefined ? '(undefined)' : JSON.stringify(v)}`);
    }
    return nothing(typeof a.msg === 'string' ? a.msg : JSON.stringify(a.msg));
  },
});
