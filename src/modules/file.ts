import { nothing, steps, type Step } from '../actions/types.js';
import { sh } from '../core/quote.js';
import { quarantineDirFor } from '../remediate/context.js';
import { defineModule, type ValidationProblem } from '../playbook/module-types.js';
import { attributeSteps, ownershipSteps, parseAttributes } from './support/file-steps.js';
import { absolutePathProblems, ownershipOf, OWNERSHIP_OPTIONS } from './support/owner-options.js';

// file: the state of a path — file (must exist), directory (mkdir -p), touch (create if
// missing), link (symlink to src), absent (a file or link is moved into the run's quarantine
// directory on the host, never deleted; an empty directory is removed; a non-empty one is
// refused by rmdir) — and its mode, owner and chattr attributes
// (`attributes: +i`, `-ia`; plain letters mean add). An immutable flag being removed is
// removed first and one being added is added last, so the other changes can happen.

type Args = { path: string; state?: 'file' | 'directory' | 'touch' | 'link' | 'absent'; src?: string; attributes?: string; mode?: string | number; owner?: string; group?: string };

export const module = defineModule<Args>({
  name: 'file',
  description: 'set the state, mode, owner and chattr attributes of a path',
  options: {
    path: { type: 'string', required: true, description: 'absolute path on the host' },
    state: { type: 'string', choices: ['file', 'directory', 'touch', 'link', 'absent'], description: 'file (default: must exist), directory, touch, link, absent' },
    src: { type: 'string', description: 'link target (state link)' },
    attributes: { type: 'string', description: 'chattr flags: +i, -i, -ia, a (add)' },
    ...OWNERSHIP_OPTIONS,
  },
  validate(a) {
    const p: ValidationProblem[] = [];
    p.push(...absolutePathProblems('path', a.path));
    if (a.path.replace(/\/+$/, '') === '') p.push({ option: 'path', message: 'refusing to act on /', expected: 'a path below /', got: a.path, fix: 'name the file or directory' });
    if (a.state === 'link' && !a.src) p.push({ option: 'state', message: 'state link needs src', expected: 'src: /path/it/points/to', got: 'no src', fix: 'add src:' });
    if (a.src !== undefined && a.state !== 'link') p.push({ option: 'src', message: 'src is only for state link', expected: 'state: link', got: `state: ${a.state ?? 'file'}`, fix: 'add state: link or remove src' });
    if (a.attributes !== undefined) {
      const r = parseAttributes(a.attributes);
      if (typeof r === 'string') p.push({ option: 'attributes', message: r, expected: '+i, -i, -ia, i', got: a.attributes, fix: 'write the chattr letters with + or -' });
    }
    return p;
  },
  gather: (a) => ({ stat: [a.path] }),
  plan(a, ctx) {
    const state = a.state ?? 'file';
    const cur = ctx.gathered.files[a.path] ?? { path: a.path, exists: false };
    const want = ownershipOf(a);
    const b = ctx.become;
    const create: Step[] = [];
    if (state === 'absent') {
      if (!cur.exists) return nothing(`${a.path} does not exist`);
      const unlock = cur.attrs && /[ia]/.test(cur.attrs.replace(/-/g, '')) ? sh`chattr -i -a -- ${a.path}; ` : '';
      if (cur.type === 'directory') return steps({ description: `remove empty directory ${a.path}`, command: `${unlock}${sh`rmdir -- ${a.path}`} && echo MS-CHANGED`, become: b });
      // never delete: the file is moved into the run's quarantine directory on the host
      const q = quarantineDirFor(ctx.runId);
      const name = 'file' + a.path.replace(/[^A-Za-z0-9_.-]/g, '_');
      return steps({
        description: `move ${cur.type} ${a.path} into ${q}/ (quarantine, not deleted)`,
        command: `${unlock}${sh`mkdir -p -m 700 ${q} && t=${q + '/' + name} && { [ ! -e "$t" ] || t="$t.$$"; } && mv -- ${a.path} "$t"`} && echo MS-CHANGED`,
        become: b,
      });
    }
    if (state === 'file' && !cur.exists) throw new Error(`${a.path} does not exist (state file); use state touch to create it, or copy`);
    if (state === 'file' && cur.type !== 'file' && cur.type !== 'link') throw new Error(`${a.path} is a ${cur.type}, not a file`);
    if (state === 'directory' && cur.exists && cur.type !== 'directory') throw new Error(`${a.path} exists and is a ${cur.type}, not a directory`);
    if (state === 'link' && cur.exists && cur.type !== 'link') throw new Error(`${a.path} exists and is a ${cur.type}; remove it first (state absent) to make a link there`);
    if (!cur.exists || (state === 'link' && cur.linkTarget !== a.src)) {
      if (state === 'directory') create.push({ description: `mkdir -p ${a.path}`, command: sh`mkdir -p -- ${a.path}` + (want.mode ? sh` && chmod ${want.mode} -- ${a.path}` : '') + ' && echo MS-CHANGED', become: b });
      else if (state === 'touch') create.push({ description: `create empty ${a.path}`, command: sh`: >> ${a.path}` + (want.mode ? sh` && chmod ${want.mode} -- ${a.path}` : '') + ' && echo MS-CHANGED', become: b });
      else if (state === 'link') create.push({ description: `symlink ${a.path} → ${a.src}`, command: sh`ln -sfn -- ${a.src!} ${a.path} && echo MS-CHANGED`, become: b });
    }
    // a new path: mode set at creation; owner/attributes against an unknown (fresh) state
    const now = cur.exists && state !== 'link' ? cur : { path: a.path, exists: true, mode: want.mode, owner: undefined, group: undefined, attrs: '' };
    const own = state === 'link' ? ownershipSteps(a.path, { ...now, mode: want.mode }, { ...(want.owner ? { owner: want.owner } : {}), ...(want.group ? { group: want.group } : {}) }, b) : ownershipSteps(a.path, now, want, b);
    const attr = a.attributes !== undefined ? attributeSteps(a.path, cur.exists ? cur : { ...now, attrs: '-' }, a.attributes, b) : { unlock: [], lock: [] };
    // immutable/append-only must come off before other changes and go on last
    const all = [...attr.unlock, ...create, ...own, ...attr.lock];
    return all.length ? steps(...all) : nothing(`${a.path} is already as asked`);
  },
});
