import { createHash } from 'node:crypto';
import { encodeLossless } from '../core/bytes.js';
import { quote } from '../core/quote.js';
import type { Step } from '../actions/types.js';
import type { HostFacts } from '../facts/types.js';
import { backupLine } from '../quarantine/plan.js';
import { quarantinePrelude } from '../quarantine/shell-lib.js';
import type { ControllerInfo } from '../remediate/context.js';
import { removalDiff } from '../remediate/line-diff.js';
import { unifiedDiff } from '../playbook/diff.js';
import { removeLinesScript } from '../remediate/line-edit.js';
import { hardenSshdConfig, SSHD_DEFAULTS } from './sshd-config.js';

// harden-ssh: authorized_keys reduced to an allowlist of fingerprints (the controller's
// key always kept; an allowlist that would drop it is refused), then chmod 400 and
// chattr +i. sshd_config hardened, checked with `sshd -t` (the old file comes back on
// failure) and reloaded with SIGHUP to the listener — never restarted. The caller checks
// that a fresh login still works.
//
// Rotating keys later: `chattr -i FILE`, edit, `chmod 400 FILE`, `chattr +i FILE` — or run
// harden again with the new fingerprint in ssh_allowed_keys.

export interface SshVars {
  /** fingerprints (SHA256:…) allowed to stay; absent: only the controller's key stays */
  allowedKeys?: string[];
  /** extra sshd_config settings */
  sshdOptions?: Record<string, string>;
}

export type SshPlan = { refused: string } | { steps: Step[]; notes: string[] };

const sha256 = (s: string) => createHash('sha256').update(encodeLossless(s)).digest('hex');

function keyStep(facts: HostFacts, f: HostFacts['authorizedKeys'][number], keep: Set<string>, quarantineDir: string): Step | null {
  const drop = f.keys.filter((k) => !keep.has(k.fingerprint));
  const modeOk = f.mode.replace(/^0+/, '') === '400';
  const immutable = /i/.test(f.attrs.replace(/[^a-zA-Z]/g, '').replace(/e/g, ''));
  if (!drop.length && modeOk && immutable) return null;
  const parts: string[] = [];
  if (drop.length) parts.push(`(\n${removeLinesScript(f.path, drop.map((k) => k.raw), quarantineDir)}) || exit 1`);
  parts.push(
    `f=${quote(f.path)}`,
    '[ -f "$f" ] || exit 0',
    `a=$(lsattr -d -- "$f" 2>/dev/null | sed -n '1s/ .*//p')`,
    'case "$a" in *i*) ;; *) m=$(stat -c %a -- "$f"); [ "$m" = 400 ] || { chmod 400 -- "$f" && echo MS-CHANGED; }; chattr +i -- "$f" && echo MS-CHANGED || exit 1;; esac',
    'case "$a" in *i*) m=$(stat -c %a -- "$f"); [ "$m" = 400 ] || { chattr -i -- "$f"; chmod 400 -- "$f"; chattr +i -- "$f"; echo MS-CHANGED; };; esac',
  );
  const diff = drop.length ? removalDiff(f.path, f.content, new Set(drop.map((k) => k.raw))) : '';
  return {
    become: true,
    description: `${f.path}: ${drop.length ? `remove ${drop.length} key(s) not in the allowlist (${drop.map((k) => k.fingerprint).join(', ')}), ` : ''}chmod 400, chattr +i (rotate: chattr -i, edit, chmod 400, chattr +i)`,
    command: parts.join('\n') + '\n',
    ...(diff ? { diff } : {}),
  };
}

function sshdStep(facts: HostFacts, settings: Record<string, string>, controller: ControllerInfo, quarantineDir: string): Step | null {
  const cfg = facts.sshdConfig;
  if (!cfg || cfg.truncated) return null;
  const next = hardenSshdConfig(cfg.content, settings);
  if (next === cfg.content) return null;
  return {
    become: true,
    description: `${cfg.path}: ${Object.entries(settings).map(([k, v]) => `${k} ${v}`).join(', ')}; check with sshd -t (old file back on failure), reload sshd (SIGHUP, no restart)`,
    diff: unifiedDiff(cfg.path, cfg.content, next),
    stdin: next,
    command: `${quarantinePrelude(quarantineDir)}
f=${quote(cfg.path)}
[ "$(sha256sum < "$f" | cut -d' ' -f1)" = ${quote(sha256(cfg.content))} ] || { echo "MS-FAIL: $f changed since the sweep; sweep again"; exit 1; }
${backupLine(cfg.path)}
old=$(mktemp ${quote(parentOf(cfg.path))}/.minesweep-old.XXXXXX) && cp -p -- "$f" "$old" || exit 1
t=$(mktemp ${quote(parentOf(cfg.path))}/.minesweep.XXXXXX) && cat > "$t" || exit 1
chmod --reference="$f" -- "$t" && chown --reference="$f" -- "$t" && chattr -i -a -- "$f" 2>/dev/null; mv -f -- "$t" "$f" || exit 1
S=$(command -v sshd || echo /usr/sbin/sshd)
if ! err=$("$S" -t -f "$f" 2>&1); then mv -f -- "$old" "$f"; echo "MS-FAIL: sshd -t refused the new config, old file restored: $err"; exit 1; fi
rm -f -- "$old"
${reloadSshd(facts, controller)}
echo MS-CHANGED
`,
  };
}

/** SIGHUP to the sshd listener (from its pid file, else the one the probe saw on the SSH port). */
function reloadSshd(facts: HostFacts, controller: ControllerInfo): string {
  const listener = facts.sockets.find((s) => s.state === 'LISTEN' && s.localPort === controller.sshPort && /sshd/.test(s.process) && s.pid !== null);
  return `p=$(cat /run/sshd.pid 2>/dev/null || cat /var/run/sshd.pid 2>/dev/null)
case "$(cat "/proc/$p/comm" 2>/dev/null)" in sshd*) ;; *) p=${quote(listener?.pid ?? '')};; esac
case "$(cat "/proc/$p/comm" 2>/dev/null)" in sshd*) kill -HUP "$p" || exit 1;; *) echo "MS-FAIL: no sshd listener pid to reload"; exit 1;; esac`;
}

/**
 * The lockout guard's way back: sshd_config as the sweep read it, written back through the
 * session that is still open, then sshd reloaded. Used when no fresh login works after harden.
 */
export function sshdRestoreStep(facts: HostFacts, controller: ControllerInfo): Step | null {
  const cfg = facts.sshdConfig;
  if (!cfg || cfg.truncated) return null;
  return {
    become: true,
    description: `${cfg.path}: no fresh login after the reload: the previous file put back, sshd reloaded`,
    stdin: cfg.content,
    command: `f=${quote(cfg.path)}
t=$(mktemp ${quote(parentOf(cfg.path))}/.minesweep.XXXXXX) && cat > "$t" || exit 1
chmod --reference="$f" -- "$t" && chown --reference="$f" -- "$t"; mv -f -- "$t" "$f" || exit 1
${reloadSshd(facts, controller)}
echo MS-CHANGED
`,
  };
}

function parentOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
}

export function planSsh(facts: HostFacts, vars: SshVars, controller: ControllerInfo, quarantineDir: string): SshPlan {
  const mine = [...new Set([...(controller.keyFingerprint ? [controller.keyFingerprint] : []), ...(controller.keyFingerprints ?? [])])];
  const keep = new Set([...(vars.allowedKeys ?? []), ...mine]);
  for (const fp of mine) {
    if (!vars.allowedKeys || vars.allowedKeys.includes(fp)) continue;
    const has = facts.authorizedKeys.some((f) => f.keys.some((k) => k.fingerprint === fp));
    if (has) return { refused: `the allowlist would drop the key the controller logs in with (${fp}). Fix: add it to ssh_allowed_keys` };
  }
  const steps: Step[] = [];
  const notes: string[] = [];
  if (!mine.length && !vars.allowedKeys) notes.push('cannot tell which key the controller logs in with: authorized_keys left as they are (give ssh_allowed_keys)');
  else
    for (const f of facts.authorizedKeys) {
      const s = keyStep(facts, f, keep, quarantineDir);
      if (s) steps.push(s);
    }
  const s = sshdStep(facts, { ...SSHD_DEFAULTS, ...(vars.sshdOptions ?? {}) }, controller, quarantineDir);
  if (s) steps.push(s);
  else if (!facts.sshdConfig) notes.push('sshd_config was not read by the probe: not changed');
  return { steps, notes };
}
