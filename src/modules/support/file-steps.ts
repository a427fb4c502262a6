import type { Step } from '../../actions/types.js';
import { encodeLossless } from '../../core/bytes.js';
import { quote, Raw, sh } from '../../core/quote.js';
import type { FileState } from '../../playbook/module-types.js';
import { unifiedDiff } from '../../core/diff.js';
import { qtag, undoPrelude } from '../../quarantine/undo-lib.js';

// Steps shared by the file modules (copy, template, lineinfile, file): write a whole file,
// set mode/owner/attributes, each recording its undo first (quarantine/undo-lib.ts), none
// through a symlink. Every value quoted; file bodies go on stdin, never into the command line.

/** Normalise a mode to 4 octal digits ("644" → "0644"); symbolic modes (u+x) pass through. */
export function normMode(mode: unknown): string | undefined {
  if (mode === undefined || mode === null || mode === '') return undefined;
  const s = String(mode);
  return /^[0-7]{3,4}$/.test(s) ? s.padStart(4, '0') : s;
}

export const isOctalMode = (m: string) => /^[0-7]{4}$/.test(m);

export interface Ownership {
  mode?: string;
  owner?: string;
  group?: string;
}

/** Would writing/chmod/chown change anything on `cur`? (symbolic modes: always applied). */
export function ownershipDiffers(cur: FileState, want: Ownership): string[] {
  const out: string[] = [];
  if (want.mode && (!isOctalMode(want.mode) || cur.mode !== want.mode)) out.push(`mode ${cur.mode ?? '?'} → ${want.mode}`);
  if (want.owner && cur.owner !== want.owner && String(cur.uid) !== want.owner) out.push(`owner ${cur.owner ?? '?'} → ${want.owner}`);
  if (want.group && cur.group !== want.group && String(cur.gid) !== want.group) out.push(`group ${cur.group ?? '?'} → ${want.group}`);
  return out;
}

function chownSpec(want: Ownership): string | undefined {
  if (want.owner && want.group) return `${want.owner}:${want.group}`;
  if (want.owner) return want.owner;
  if (want.group) return `:${want.group}`;
  return undefined;
}

/**
 * Write `content` to `path`, keeping the current mode/owner unless given. The old file is
 * recorded first (a copy in quarantine, or "created"); a file with one link is replaced by
 * rename in its directory, one with more rewritten in place. A symlink is never written
 * through. The diff (check mode) is from the current content (null: file absent).
 */
export function writeFileStep(path: string, content: string, cur: FileState | undefined, want: Ownership, become: boolean, quarantineDir: string, description?: string): Step {
  if (cur?.exists && cur.type !== 'file') throw new Error(`${path} is a ${cur.type}: not written through it (write the path it points to, or move it away first with file state: absent)`);
  const mode = want.mode ?? (cur?.exists ? cur.mode : undefined) ?? '0644';
  const spec = chownSpec(want);
  const cmd = `${undoPrelude(quarantineDir)}p=${quote(path)}
ms_meta "$p" || exit 1
case $m_type in absent) ms_before "$p" create || exit 1;; file) ms_backup "$p" ${quote(qtag(path))} || exit 1;; *) echo "MS-FAIL: $p is a $m_type: not written through it"; exit 1;; esac
[ "$MS_PHASE" = record ] && exit 0
ms_init && n=$(mktemp "$Q/.new.XXXXXX") && cat > "$n" || exit 1
MS_MODE=${quote(mode)}
ms_install "$p" "$n" || exit 1
[ ! -L "$p" ] && chmod ${quote(mode)} -- "$p"${spec ? ` && chown ${quote(spec)} -- "$p"` : ''} || exit 1
echo MS-CHANGED
`;
  return {
    description: description ?? `${cur?.exists ? 'rewrite' : 'create'} ${path}`,
    command: cmd,
    stdin: Buffer.from(encodeLossless(content)),
    diff: unifiedDiff(path, cur?.exists ? cur.content ?? '' : null, content),
    become,
    journal: true,
  };
}

/** A journaled step changing what `change` does to an existing path after its mode, owner and attributes are recorded; never through a link unless `links` allows it (chown -h). */
function metaStep(path: string, description: string, change: string, become: boolean, quarantineDir: string, links = false): Step {
  return {
    description,
    command: `${undoPrelude(quarantineDir)}p=${quote(path)}
ms_meta "$p" || exit 1
${links ? '' : 'case $m_type in link) echo "MS-FAIL: $p is a symlink: not changed through it"; exit 1;; esac\n'}ms_before "$p" meta || exit 1
[ "$MS_PHASE" = record ] && exit 0
${change} || exit 1
echo MS-CHANGED
`,
    become,
    journal: true,
  };
}

/** chmod/chown an existing path to match `want`; none when it already matches. A symlink's mode is never set (chmod would change its target). */
export function ownershipSteps(path: string, cur: FileState, want: Ownership, become: boolean, quarantineDir: string): Step[] {
  const out: Step[] = [];
  if (want.mode && (!isOctalMode(want.mode) || cur.mode !== want.mode)) {
    if (cur.type === 'link') throw new Error(`${path} is a symlink: chmod would change the file it points to; set the mode on that path`);
    out.push(metaStep(path, `chmod ${want.mode} ${path} (was ${cur.mode ?? '?'})`, sh`chmod ${want.mode} -- ${path}`, become, quarantineDir));
  }
  const needOwner = want.owner && cur.owner !== want.owner && String(cur.uid) !== want.owner;
  const needGroup = want.group && cur.group !== want.group && String(cur.gid) !== want.group;
  if (needOwner || needGroup) {
    const spec = chownSpec({ ...(needOwner && want.owner ? { owner: want.owner } : {}), ...(needGroup && want.group ? { group: want.group } : {}) })!;
    out.push(metaStep(path, `chown ${spec} ${path} (was ${cur.owner ?? '?'}:${cur.group ?? '?'})`, sh`chown -h ${spec} -- ${path}`, become, quarantineDir, true));
  }
  return out;
}

/** Parse `attributes: +i` / `-ia` / `i` (= add) into flags to add and remove. */
export function parseAttributes(spec: string): { add: string[]; remove: string[] } | string {
  const add: string[] = [];
  const remove: string[] = [];
  const m = /^\s*([+-=]?)([A-Za-z]+)\s*$/.exec(spec);
  if (!m) return `attributes must be like +i, -i, -ia or i, got ${JSON.stringify(spec)}`;
  for (const ch of m[2]!) (m[1] === '-' ? remove : add).push(ch);
  return { add, remove };
}

/** The lsattr flags currently set (letters). */
export function currentAttrs(cur: FileState): Set<string> {
  return new Set((cur.attrs ?? '').replace(/-/g, '').split(''));
}

/** chattr steps to reach `spec` from the current attributes (none when already so); never on a symlink (chattr acts on its target). */
export function attributeSteps(path: string, cur: FileState, spec: string, become: boolean, quarantineDir: string): { unlock: Step[]; lock: Step[] } {
  const p = parseAttributes(spec);
  if (typeof p === 'string') throw new Error(p);
  if (cur.type === 'link') throw new Error(`${path} is a symlink: chattr would change the file it points to; set attributes on that path`);
  const have = currentAttrs(cur);
  const unknown = cur.attrs === undefined || cur.attrs === '';
  const rm = p.remove.filter((c) => unknown || have.has(c));
  const add = p.add.filter((c) => unknown || !have.has(c));
  return {
    unlock: rm.length ? [metaStep(path, `chattr -${rm.join('')} ${path}`, `chattr -${rm.join('')} -- ${quote(path)}`, become, quarantineDir)] : [],
    lock: add.length ? [metaStep(path, `chattr +${add.join('')} ${path}`, `chattr +${add.join('')} -- ${quote(path)}`, become, quarantineDir)] : [],
  };
}
