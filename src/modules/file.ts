import { nothing, steps, type Step } from '../actions/types.js';
import { quote, sh } from '../core/quote.js';
import { qtag, undoPrelude } from '../quarantine/undo-lib.js';
import { defineModule, type ValidationProblem } from '../playbook/module-types.js';
import { attributeSteps, ownershipSteps, parseAttributes } from './support/file-steps.js';
import { absolutePathProblems, ownershipOf, OWNERSHIP_OPTIONS } from './support/owner-options.js';

// file: the state of a path — file (must exist), directory (mkdir -p), touch (create if
// missing), link (symlink to src), absent (the path is moved into the run's quarantine
// directory on the host, never deleted: a link as a link, a directory whole) — and its mode,
// owner and chattr attributes (never through a symlink); every change recorded first
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
    const q = ctx.quarantineDir;
    if (state === 'absent') {
      if (!cur.exists) return nothing(`${a.path} does not exist`);
      // never delete: the path (a file, a link as a link, a directory whole) is moved into the
      // run's quarantine directory on the host, recorded first; rollback brings it back
      const name = 'file' + a.path.replace(/[^A-Za-z0-9_.-]/g, '_');
      return steps({
        description: `move ${cur.type} ${a.path} into ${q}/ (quarantine, not deleted)`,
        command: `${undoPrelude(q)}ms_quarantine ${quote(a.path)} ${quote(qtag(a.path))} ${quote(name)} || exit 1\n`,
        become: b,
        journal: true,
      });
    }
    if (state === 'file' && !cur.exists) throw new Error(`${a.path} does not exist (state file); use state touch to create it, or copy`);
    if (state === 'file' && cur.type !== 'file' && cur.type !== 'link') throw new Error(`${a.path} is a ${cur.type}, not a file`);
    if (state === 'directory' && cur.exists && cur.type !== 'directory') throw new Error(`${a.path} exists and is a ${cur.type}, not a directory`);
    if (state === 'link' && cur.exists && cur.type !== 'link') throw new Error(`${a.path} exists and is a ${cur.type}; remove it first (state absent) to make a link there`);
    if (!cur.exists || (state === 'link' && cur.linkTarget !== a.src)) {
      // recorded first: "created" (rollback moves it into quarantine), or the old link moved into quarantine
      const before = cur.exists ? `ms_quarantine ${quote(a.path)} ${quote(qtag(a.path))} || exit 1` : `ms_before ${quote(a.path)} create || exit 1`;
      const make = (what: string, cmd: string): Step => ({ description: what, command: `${undoPrelude(q)}${before}\n[ "$MS_PHASE" = record ] && exit 0\n${cmd} && echo MS-CHANGED\n`, become: b, journal: true });
      // the undo library's umask 077 is for quarantine copies: new paths get the usual 022
      if (state === 'directory') create.push(make(`mkdir -p ${a.path}`, 'umask 022; ' + sh`mkdir -p -- ${a.path}` + (want.mode ? sh` && chmod ${want.mode} -- ${a.path}` : '')));
      else if (state === 'touch') create.push(make(`create empty ${a.path}`, 'umask 022; ' + sh`: >> ${a.path}` + (want.mode ? sh` && chmod ${want.mode} -- ${a.path}` : '')));
      else if (state === 'link') create.push(make(`symlink ${a.path} → ${a.src}`, sh`ln -s -- ${a.src!} ${a.path}`));
    }
    // a new path: mode set at creation; owner/attributes against an unknown (fresh) state
    const now = cur.exists && state !== 'link' ? cur : { path: a.path, exists: true, mode: want.mode, owner: undefined, group: undefined, attrs: '' };
    const own = state === 'link' ? ownershipSteps(a.path, { ...now, mode: want.mode }, { ...(want.owner ? { owner: want.owner } : {}), ...(want.group ? { group: want.group } : {}) }, b, q) : ownershipSteps(a.path, now, want, b, q);
    const attr = a.attributes !== undefined ? attributeSteps(a.path, cur.exists ? cur : { ...now, attrs: '-' }, a.attributes, b, q) : { unlock: [], lock: [] };
    // immutable/append-only must come off before other changes and go on last
    const all = [...attr.unlock, ...create, ...own, ...attr.lock];
    return all.length ? steps(...all) : nothing(`${a.path} is already as asked`);
  },
});
