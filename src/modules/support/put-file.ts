import { nothing, steps, type ActionPlan } from '../../actions/types.js';
import type { FileState, ModuleContext } from '../../playbook/module-types.js';
import { ownershipSteps, writeFileStep, type Ownership } from './file-steps.js';

// copy and template: make `dest` hold `content` with the wanted mode/owner; nothing to do
// when it already does (idempotent).

export function destPath(dest: string, src: string | undefined, cur: FileState | undefined): string {
  if (src && (dest.endsWith('/') || cur?.type === 'directory')) return dest.replace(/\/+$/, '') + '/' + src.split('/').pop();
  return dest;
}

export function putFilePlan(dest: string, content: string, want: Ownership, ctx: ModuleContext, cur: FileState | undefined): ActionPlan {
  if (cur?.exists && cur.type !== 'file')
    throw new Error(`${dest} is a ${cur.type}, not a file: ${cur.type === 'link' ? 'a symlink is never written through; write the path it points to, or ' : ''}remove it or choose another dest`);
  const q = ctx.quarantineDir;
  if (cur?.exists && cur.content === undefined)
    throw new Error(`${dest} is over 4 MiB: too big to compare; write it with shell or copy it another way`);
  if (cur?.exists && cur.content === content) {
    const own = ownershipSteps(dest, cur, want, ctx.become, q);
    return own.length ? steps(...own) : nothing(`${dest} already has this content${want.mode ? ` and mode ${want.mode}` : ''}`);
  }
  return steps(writeFileStep(dest, content, cur, want, ctx.become, q));
}
