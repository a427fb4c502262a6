import type { ProbeSection } from '../section.js';
import { shText } from '../sh-text.js';
import { textFiles } from '../text-file.js';

// Shell start-up files: system-wide ones and every home directory's (from /etc/passwd).
const snippet = shText`
  MS_CAP=$MS_MAXFILES
  ms_files a /etc/profile /etc/bash.bashrc /etc/bashrc /etc/environment /etc/zshrc /etc/zsh/zshrc
  ms_dir /etc/profile.d a 1 || return 0
  ms_profiles() {
    for ms_f in .bashrc .profile .bash_profile .bash_login .bash_logout .zshrc .zprofile .cshrc .tcshrc; do
      [ -e "$2/$ms_f" ] && { ms_count || return 1; ms_add a "$2/$ms_f"; }
    done
    return 0
  }
  ms_start
  ms_each_home ms_profiles
  ms_batch a
`;

export const profilesSection: ProbeSection = {
  name: 'profiles',
  snippet,
  timeoutSeconds: 20,
  parse: (records, ctx) => ({ profiles: textFiles(records, ctx) }),
  missing: () => ({ profiles: [] }),
};
