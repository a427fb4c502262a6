import { defineModule } from '../playbook/module-types.js';
import { absolutePathProblems, ownershipOf, OWNERSHIP_OPTIONS } from './support/owner-options.js';
import { destPath, putFilePlan } from './support/put-file.js';

// copy: put `content` (or the controller file `src`, relative to the playbook, then
// templates/) at `dest` on the host, with mode/owner; idempotent (compares content).

type Args = { dest: string; content?: string; src?: string; mode?: string | number; owner?: string; group?: string };

export const module = defineModule<Args>({
  name: 'copy',
  description: 'write a file on the host from inline content or a controller file',
  options: {
    dest: { type: 'string', required: true, description: 'absolute path on the host (a directory: the src file name is kept)' },
    content: { type: 'string', description: 'the file body (exactly this text)' },
    src: { type: 'string', description: 'controller file, relative to the playbook directory, then templates/' },
    ...OWNERSHIP_OPTIONS,
  },
  validate(a) {
    if ((a.content === undefined) === (a.src === undefined)) return [{ message: 'give exactly one of content and src', expected: 'content: "…" or src: file', got: a.content !== undefined ? 'both' : 'neither', fix: 'remove one of them (or add one)' }];
    return absolutePathProblems('dest', a.dest);
  },
  // a directory dest keeps the src file name: gather that path too
  gather: (a) => ({ read: a.src ? [a.dest, destPath(a.dest, a.src, { path: a.dest, exists: true, type: 'directory' })] : [a.dest] }),
  plan(a, ctx) {
    const cur = ctx.gathered.files[a.dest];
    const content = a.content ?? ctx.readLocal(a.src!);
    const dest = destPath(a.dest, a.src, cur);
    return putFilePlan(dest, content, ownershipOf(a), ctx, ctx.gathered.files[dest]);
  },
});
