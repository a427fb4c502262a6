import { defineModule } from '../playbook/module-types.js';
import { absolutePathProblems, ownershipOf, OWNERSHIP_OPTIONS } from './support/owner-options.js';
import { putFilePlan } from './support/put-file.js';

// template: render a Handlebars file from the controller (relative to the playbook, then
// templates/) with the task's variables and put it at `dest`; idempotent. HTML escaping is
// off; missing variables are errors. Host-originated values are inserted as text: a
// template that builds a shell script must use {{quote x}} for them.

type Args = { src: string; dest: string; mode?: string | number; owner?: string; group?: string };

export const module = defineModule<Args>({
  name: 'template',
  description: 'render a Handlebars template from the controller into a file on the host',
  options: {
    src: { type: 'string', required: true, description: 'template file, relative to the playbook directory, then templates/' },
    dest: { type: 'string', required: true, description: 'absolute path on the host' },
    ...OWNERSHIP_OPTIONS,
  },
  validate: (a) => absolutePathProblems('dest', a.dest),
  gather: (a) => ({ read: [a.dest] }),
  plan(a, ctx) {
    const content = ctx.render(ctx.readLocal(a.src));
    return putFilePlan(a.dest, content, ownershipOf(a), ctx, ctx.gathered.files[a.dest]);
  },
});
