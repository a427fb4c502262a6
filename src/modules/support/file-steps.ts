import type { Step } from '../../actions/types.js';
import { encodeLossless } from '../../core/bytes.js';
import { quote, Raw, sh } from '../../core/quote.js';
import type { FileState } from '../../playbook/module-types.js';
import { unifiedDiff } from '../../playbook/diff.js';

// Steps shared by the file modules (copy, template, lineinfile, file): write a whole file
// atomically (temp file in the same directory, then rename), set mode/owner/attributes.
// Every value quoted; file bodies go on stdin, never into the command line.

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
 * Write `content` to `path` atomically, keeping the current mode/owner unless given.
 * The diff (check mode) is from the current content (null: file absent).
 */
export function writeFileStep(path: string, content: string, cur: FileState | undefined, want: Ownership, become: boolean, description?: string): Step {
  const mode = want.mode ?? (cur?.exists ? cur.mode : undefined) ?? '0644';
  const spec = chownSpec(want);
  const keep = cur?.exists && !want.owner && !want.group && cur.uid !== undefined ? `${cur.uid}:${cur.gid}` : undefined;
  const chown = spec ?? keep;
  const cmd =
    sh`p=${path}; d=$(dirname -- "$p"); t=$(mktemp "$d/.minesweep.XXXXXX") || exit 1; ` +
    sh`cat > "$t" && chmod ${mode} "$t"` +
    (chown ? sh` && chown ${chown} "$t"` : '') +
    sh` && mv -f -- "$t" "$p" && echo MS-CHANGED ${new Raw('|| { rc=$?; rm -f "$t"; exit $rc; }')}`;
  return {
    description: description ?? `${cur?.exists ? 'rewrite' : 'create'} ${path}`,
    command: cmd,
    stdin: Buffer.from(encodeLossless(content)),
    diff: unifiedDiff(path, cur?.exists ? cur.content ?? '' : null, content),
    become,
  };
}

/** chmod/chown an existing path to match `want`; none when it already matches. */
export function ownershipSteps(path: string, cur: FileState, want: Ownership, become: boolean): Step[] {
  const out: Step[] = [];
  if (want.mode && (!isOctalMode(want.mode) || cur.mode !== want.mode))
    out.push({ description: `chmod ${want.mode} ${path} (was ${cur.mode ?? '?'})`, command: sh`chmod ${want.mode} -- ${path} && echo MS-CHANGED`, become });
  const needOwner = want.owner && cur.owner !== want.owner && String(cur.uid) !== want.owner;
  const needGroup = want.group && cur.group !== want.group && String(cur.gid) !== want.group;
  if (needOwner || needGroup) {
    const spec = chownSpec({ ...(needOwner && want.owner ? { owner: want.owner } : {}), ...(needGroup && want.group ? { group: want.group } : {}) })!;
    out.push({ description: `chown ${spec} ${path} (was ${cur.owner ?? '?'}:${cur.group ?? '?'})`, command: sh`chown -h ${spec} -- ${path} && echo MS-CHANGED`, become });
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

/** chattr steps to reach `spec` from the current attributes (none when already so). */
export function attributeSteps(path: string, cur: FileState, spec: string, become: boolean): { unlock: Step[]; lock: Step[] } {
  const p = parseAttributes(spec);
  if (typeof p === 'string') throw new Error(p);
  const have = currentAttrs(cur);
  const unknown = cur.attrs === undefined || cur.attrs === '';
  const rm = p.remove.filter((c) => unknown || have.has(c));
  const add = p.add.filter((c) => unknown || !have.has(c));
  return {
    unlock: rm.length ? [{ description: `chattr -${rm.join('')} ${path}`, command: `chattr -${rm.join('')} -- ${quote(path)} && echo MS-CHANGED`, become }] : [],
    lock: add.length ? [{ description: `chattr +${add.join('')} ${path}`, command: `chattr +${add.join('')} -- ${quote(path)} && echo MS-CHANGED`, become }] : [],
  };
}
