import type { AuthorizedKeysFile, HostFacts } from '../../facts/types.js';
import { parseAuthorizedKeys } from '../authorized-keys.js';
import type { ProbeRecord } from '../records.js';
import type { ParseContext, ProbeSection } from '../section.js';
import { shText } from '../sh-text.js';
import { toTextFile } from '../text-file.js';

// SSH access: sshd_config, the effective AuthorizedKeysFile (`sshd -T`, else sshd_config, else
// OpenSSH's default), and every user's key files under it (%h, %u, %% expanded here, relative
// paths from the home directory) plus ~/.ssh/authorized_keys{,2} always; with lsattr flags.
const snippet = shText`
  MS_CAP=$MS_MAXFILES
  MS_TAG=config; [ -e /etc/ssh/sshd_config ] && ms_file /etc/ssh/sshd_config a
  MS_TAG=
  ms_akf=
  if [ -n "$MS_HAVE_sshd" ]; then
    ms_akf=$(ms_t 5 sshd -T 2>/dev/null | grep -i '^authorizedkeysfile ' | head -n 1)
    ms_r setting; ms_l from sshd-T; ms_v value "\${ms_akf#* }"
    ms_akf=\${ms_akf#* }
  fi
  if [ -z "$ms_akf" ] && [ -r /etc/ssh/sshd_config ]; then
    ms_akf=$(grep -i '^[[:space:]]*AuthorizedKeysFile[[:space:]]' /etc/ssh/sshd_config | head -n 1)
    ms_akf=$(printf '%s\n' "$ms_akf" | sed 's/^[[:space:]]*[^[:space:]]*[[:space:]]*//')
    ms_r setting; ms_l from sshd_config; ms_v value "$ms_akf"
  fi
  [ -n "$ms_akf" ] || ms_akf='.ssh/authorized_keys .ssh/authorized_keys2'
  ms_expand() {
    ms_s=$1; ms_x=
    while :; do
      case $ms_s in
        *%*)
          ms_x="$ms_x\${ms_s%%[%]*}"; ms_s=\${ms_s#*[%]}
          case $ms_s in
            h*) ms_x="$ms_x$2"; ms_s=\${ms_s#h};;
            u*) ms_x="$ms_x$3"; ms_s=\${ms_s#u};;
            %*) ms_x="$ms_x%"; ms_s=\${ms_s#%};;
          esac;;
        *) ms_x="$ms_x$ms_s"; break;;
      esac
    done
    case $ms_x in /*) ;; *) ms_x="$2/$ms_x";; esac
  }
  ms_keys() {
    set -f
    for ms_k in $ms_akf .ssh/authorized_keys .ssh/authorized_keys2; do
      set +f
      [ "$ms_k" = none ] && continue
      ms_expand "$ms_k" "$2" "$1"
      [ -e "$ms_x" ] || continue
      ms_count || return 1
      MS_TAG=$1; ms_file "$ms_x" a; MS_TAG=
    done
    set +f
    return 0
  }
  ms_each_home ms_keys
`;

export function parseSsh(records: ProbeRecord[], ctx: ParseContext): Partial<HostFacts> {
  const config = records.find((r) => r.kind === 'f' && r.str('tag') === 'config');
  const sshdConfig = config ? toTextFile(config, ctx) : null;
  const settings = records.filter((r) => r.kind === 'setting' && r.str('value').trim() !== '');
  let setting = settings[0]?.str('value').trim() ?? '';
  if (!setting && sshdConfig) {
    const m = /^\s*AuthorizedKeysFile\s+(.+)$/im.exec(sshdConfig.content);
    setting = m?.[1]?.trim() ?? '';
  }
  const seen = new Set<string>();
  const authorizedKeys: AuthorizedKeysFile[] = [];
  for (const r of records) {
    if (r.kind !== 'f' || r.str('tag') === 'config') continue;
    const f = toTextFile(r, ctx);
    if (seen.has(f.path)) continue;
    seen.add(f.path);
    authorizedKeys.push({ ...f, user: r.str('tag'), keys: parseAuthorizedKeys(f.content) });
  }
  return { sshdConfig, authorizedKeys, authorizedKeysFileSetting: setting || '.ssh/authorized_keys .ssh/authorized_keys2' };
}

export const sshSection: ProbeSection = {
  name: 'ssh',
  snippet,
  timeoutSeconds: 15,
  parse: parseSsh,
  missing: () => ({ sshdConfig: null, authorizedKeys: [], authorizedKeysFileSetting: '' }),
};
