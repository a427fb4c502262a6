import type { AccountFact, HostFacts, ShadowFact } from '../../facts/types.js';
import type { ProbeRecord } from '../records.js';
import type { ParseContext, ProbeSection } from '../section.js';
import { byPath } from '../batch-records.js';
import { shText } from '../sh-text.js';

// Accounts: /etc/passwd and /etc/group as files, each home directory's mtime, and /etc/shadow
// reduced ON THE HOST to name, empty/locked/hash and last change: no hash ever leaves it.
const snippet = shText`
  MS_TAG=passwd; [ -e /etc/passwd ] && ms_file /etc/passwd a
  MS_TAG=group; [ -e /etc/group ] && ms_file /etc/group
  MS_TAG=shadow; [ -e /etc/shadow ] && ms_file /etc/shadow an
  MS_TAG=
  ms_n=0; ms_hl=
  while IFS=: read -r ms_u ms_x ms_i ms_g ms_c ms_h ms_s || [ -n "$ms_u" ]; do
    ms_n=$((ms_n + 1)); [ $ms_n -gt "$MS_MAXFILES" ] && { ms_trunc homes; break; }
    [ -n "$ms_h" ] && [ -e "$ms_h" ] || continue
    case $ms_h in
      /*[!A-Za-z0-9_./:+,@%=-]*|[!/]*) ms_r home; ms_v user "$ms_u"; ms_l mtime "$(stat -c %Y -- "$ms_h" 2>/dev/null)";;
      *) case "$ms_hl " in *" $ms_h "*) ;; *) ms_hl="$ms_hl $ms_h";; esac;;
    esac
  done < /etc/passwd
  # plain home paths: one stat for all, "mtime path" lines
  [ -n "$ms_hl" ] && { ms_r homes; printf '@B stat\n'; stat -c '%Y %n' -- $ms_hl 2>/dev/null | ms_enc; }
  [ -r /etc/shadow ] || return 0
  ms_n=0
  while IFS=: read -r ms_u ms_p ms_c ms_x || [ -n "$ms_u" ]; do
    ms_n=$((ms_n + 1)); [ $ms_n -gt "$MS_MAXFILES" ] && { ms_trunc shadow; break; }
    case $ms_p in '') ms_p=empty;; '!'*|'*'*) ms_p=locked;; *) ms_p=hash;; esac
    ms_r shadow
    ms_v user "$ms_u"
    ms_l password $ms_p
    ms_v changed "$ms_c"
  done < /etc/shadow
`;

/** /etc/passwd lines → accounts (1-based line numbers; malformed lines skipped). */
export function parsePasswd(content: string, homeMtimes: Map<string, number>): AccountFact[] {
  const out: AccountFact[] = [];
  content.split('\n').forEach((line, i) => {
    const f = line.split(':');
    if (f.length < 7 || line.startsWith('#')) return;
    out.push({ name: f[0]!, uid: Number(f[2]), gid: Number(f[3]), gecos: f[4]!, home: f[5]!, shell: f.slice(6).join(':'), homeMtime: homeMtimes.get(f[0]!) ?? 0, line: i + 1 });
  });
  return out;
}

/** name:x:gid:… → gid → name */
export function idNames(content: string, idField: number): Map<number, string> {
  const m = new Map<number, string>();
  for (const line of content.split('\n')) {
    const f = line.split(':');
    const id = Number(f[idField]);
    if (f.length > idField && f[idField] !== '' && Number.isInteger(id) && !m.has(id)) m.set(id, f[0]!);
  }
  return m;
}

export function parseAccounts(records: ProbeRecord[], ctx: ParseContext): Partial<HostFacts> {
  const file = (tag: string): ProbeRecord | undefined => records.find((r) => r.kind === 'f' && r.str('tag') === tag);
  const passwd = file('passwd')?.str('content') ?? '';
  const group = file('group')?.str('content') ?? '';
  ctx.users = idNames(passwd, 2);
  ctx.groups = idNames(group, 2);
  const homes = new Map<string, number>();
  for (const r of records.filter((x) => x.kind === 'home')) homes.set(r.str('user'), r.num('mtime'));
  // plain home paths came in one "mtime path" stat listing
  const homeTimes = new Map(records.filter((x) => x.kind === 'homes').flatMap((r) => [...byPath(r.str('stat'), 2)]));
  for (const line of passwd.split('\n')) {
    const f = line.split(':');
    const t = f.length >= 7 && !homes.has(f[0]!) ? homeTimes.get(f[5]!) : undefined;
    if (t !== undefined) homes.set(f[0]!, Number(t) || 0);
  }
  const shadow: ShadowFact[] = records
    .filter((r) => r.kind === 'shadow')
    .map((r) => {
      const p = r.str('password');
      const changed = r.str('changed');
      return { name: r.str('user'), password: p === 'empty' ? 'empty' : p === 'locked' ? 'locked' : 'hash', lastChange: /^\d+$/.test(changed) ? Number(changed) : null };
    });
  const attributes: Record<string, string> = {};
  for (const tag of ['passwd', 'shadow']) {
    const r = file(tag);
    if (r?.has('attrs')) attributes[r.str('path')] = r.str('attrs');
  }
  return { accounts: parsePasswd(passwd, homes), shadow, attributes };
}

export const accountsSection: ProbeSection = {
  name: 'accounts',
  snippet,
  timeoutSeconds: 15,
  parse: parseAccounts,
  missing: () => ({ accounts: [], shadow: [] }),
};
