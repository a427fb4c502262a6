import { createHash } from 'node:crypto';
import { encodeLossless } from '../core/bytes.js';
import { quote } from '../core/quote.js';
import type { ControllerInfo, Step } from '../actions/types.js';
import type { HostFacts } from '../facts/types.js';
import { undoPrelude } from '../quarantine/undo-lib.js';
import { removalDiff, unifiedDiff } from '../core/diff.js';
import { removeLinesLines } from '../planning/line-edit.js';
import { hardenSshdConfig, settingsProblem, SSHD_DEFAULTS, type SshdSettings } from './sshd-config.js';
import { ACCESS_KEYS, groupChecks, sshdLockout } from './sshd-guard.js';

// harden-ssh: authorized_keys reduced to an allowlist of fingerprints (the controller's
// keys always kept; an allowlist that would drop one is refused), then chmod 400 and
// chattr +i. sshd_config hardened: a change that could shut the controller out (port,
// listen address, allowed users…) is refused in the plan; the new file is checked with
// `sshd -t` before it replaces the old one and sshd is reloaded with SIGHUP to the listener,
// never restarted. The caller checks that a fresh login still works and, when none does,
// puts the previous file back (sshdRestoreStep). Every change records its undo first; a
// symlinked file is never written, chmodded or chattr-ed through.
//
// Rotating keys later: `chattr -i FILE`, edit, `chmod 400 FILE`, `chattr +i FILE` — or run
// harden again with the new fingerprint in ssh_allowed_keys.

export interface SshVars {
  /** fingerprints (SHA256:…) allowed to stay; absent: only the controller's keys stay */
  allowedKeys?: string[];
  /** extra sshd_config settings (a list gives one line per element) */
  sshdOptions?: SshdSettings;
}

export type SshPlan = { refused: string } | { steps: Step[]; notes: string[] };

const sha256 = (s: string) => createHash('sha256').update(encodeLossless(s)).digest('hex');

function keySteps(f: HostFacts['authorizedKeys'][number], keep: Set<string>, quarantineDir: string): Step[] {
  const drop = f.keys.filter((k) => !keep.has(k.fingerprint));
  const modeOk = f.mode.replace(/^0+/, '') === '400';
  const immutable = /i/.test(f.attrs.replace(/[^a-zA-Z]/g, '').replace(/e/g, ''));
  const out: Step[] = [];
  if (drop.length) {
    const diff = removalDiff(f.path, f.content, new Set(drop.map((k) => k.raw)));
    out.push({
      become: true,
      journal: true,
      description: `${f.path}: remove ${drop.length} key(s) not in the allowlist (${drop.map((k) => k.fingerprint).join(', ')}); original kept in quarantine`,
      command: `${undoPrelude(quarantineDir)}${removeLinesLines(f.path, drop.map((k) => k.raw), 'keep')}`,
      ...(diff ? { diff } : {}),
    });
  }
  if (drop.length || !modeOk || !immutable)
    out.push({
      become: true,
      journal: true,
      description: `${f.path}: chmod 400, chattr +i (rotate: chattr -i, edit, chmod 400, chattr +i)`,
      command: `${undoPrelude(quarantineDir)}f=${quote(f.path)}
ms_meta "$f" || exit 1
case $m_type in file) ;; absent) exit 0;; *) printf 'MS-LINK-KEPT %s is a %s: not chmodded through it\\n' "$(ms_hex "$f")" "$m_type"; exit 0;; esac
case "$m_attrs" in *i*) locked=1;; *) locked=0;; esac
if [ "$m_mode" = 400 ] && [ "$locked" = 1 ]; then exit 0; fi
ms_before "$f" meta || exit 1
[ "$MS_PHASE" = record ] && exit 0
chattr -i -a -- "$f" && chmod 400 -- "$f" && chattr +i -- "$f" || exit 1
echo MS-CHANGED
`,
    });
  return out;
}

/** SIGHUP to the sshd listener (from its pid file, else the one the probe saw on the SSH port). */
function reloadSshd(facts: HostFacts, controller: ControllerInfo): string {
  const listener = facts.sockets.find((s) => s.state === 'LISTEN' && s.localPort === controller.sshPort && /sshd/.test(s.process) && s.pid !== null);
  return `p=$(cat /run/sshd.pid 2>/dev/null || cat /var/run/sshd.pid 2>/dev/null)
case "$(cat "/proc/$p/comm" 2>/dev/null)" in sshd*) ;; *) p=${quote(listener?.pid ?? '')};; esac
case "$(cat "/proc/$p/comm" 2>/dev/null)" in sshd*) kill -HUP "$p" || exit 1;; *) echo "MS-FAIL: no sshd listener pid to reload"; exit 1;; esac`;
}

/** Shell lines refusing (before anything is touched) when the controller's user is not in AllowGroups or is in DenyGroups. */
function groupGuard(allow: string[], deny: string[], user: string | undefined): string {
  if (!allow.length && !deny.length) return '';
  if (!user) return 'echo "MS-REFUSED: AllowGroups/DenyGroups need the controller\'s login user, which is unknown" >&2; exit 1\n';
  return `g=" $(id -Gn -- ${quote(user)} 2>/dev/null) "
${allow.length ? `ok=0; for x in ${allow.map(quote).join(' ')}; do case "$g" in *" $x "*) ok=1;; esac; done
[ "$ok" = 1 ] || { echo ${quote(`MS-REFUSED: AllowGroups ${allow.join(' ')} would shut out ${user}, the controller's login (not a member); nothing changed`)} >&2; exit 1; }\n` : ''}${deny.map((x) => `case "$g" in *" "${quote(x)}" "*) echo ${quote(`MS-REFUSED: DenyGroups ${x} would shut out ${user}, the controller's login; nothing changed`)} >&2; exit 1;; esac\n`).join('')}`;
}

/** Write `content` (stdin of the step) over the sshd_config the facts read, checked by `sshd -t` first, then reload. */
function sshdWriteCommand(facts: HostFacts, controller: ControllerInfo, quarantineDir: string, expectSha: string | null, tag: string, guard = ''): string {
  const cfg = facts.sshdConfig!;
  return `${undoPrelude(quarantineDir)}f=${quote(cfg.path)}
ms_meta "$f" || exit 1
[ "$m_type" = file ] || { echo "MS-FAIL: $f is a $m_type: sshd_config is never written through a link"; exit 1; }
${expectSha ? `[ "$m_sha" = ${quote(expectSha)} ] || { echo "MS-FAIL: $f changed since the sweep; sweep again"; exit 1; }\n` : ''}${guard}ms_init || exit 1
n=$(mktemp "$Q/.new.XXXXXX") && cat > "$n" || exit 1
S=$(command -v sshd || echo /usr/sbin/sshd)
if ! err=$("$S" -t -f "$n" 2>&1); then rm -f -- "$n"; echo "MS-FAIL: sshd -t refused the new config, nothing changed: $err"; exit 1; fi
ms_backup "$f" ${quote(tag)} || { rm -f -- "$n"; exit 1; }
if [ "$MS_PHASE" = record ]; then rm -f -- "$n"; exit 0; fi
ms_install "$f" "$n" || exit 1
${reloadSshd(facts, controller)}
echo MS-CHANGED
`;
}

function sshdStep(facts: HostFacts, settings: SshdSettings, controller: ControllerInfo, quarantineDir: string): Step | { refused: string } | null {
  const cfg = facts.sshdConfig;
  if (!cfg || cfg.truncated) return null;
  const bad = settingsProblem(settings);
  if (bad) return { refused: `${bad}. Fix: give sshd_options one line per value` };
  const next = hardenSshdConfig(cfg.content, settings);
  if (next === cfg.content) return null;
  const changed = new Set(Object.keys(settings).map((k) => k.toLowerCase()).filter((k) => ACCESS_KEYS.includes(k)));
  const lockout = sshdLockout(next, controller, changed);
  if (lockout) return { refused: `sshd_config: ${lockout}` };
  const groups = groupChecks(next, changed);
  return {
    become: true,
    journal: true,
    description: `${cfg.path}: ${Object.entries(settings).map(([k, v]) => `${k} ${Array.isArray(v) ? v.join(',') : v}`).join(', ')}; checked with sshd -t before it replaces the old file, then sshd reloaded (SIGHUP, no restart)`,
    diff: unifiedDiff(cfg.path, cfg.content, next),
    stdin: next,
    command: sshdWriteCommand(facts, controller, quarantineDir, sha256(cfg.content), 'sshd_config', groupGuard(groups.allow, groups.deny, controller.user)),
  };
}

/**
 * The lockout guard's way back: sshd_config as the sweep read it, written back through the
 * session that is still open (recorded first, like every change), then sshd reloaded. Used
 * when no fresh login works after the change.
 */
export function sshdRestoreStep(facts: HostFacts, controller: ControllerInfo, quarantineDir: string): Step | null {
  const cfg = facts.sshdConfig;
  if (!cfg || cfg.truncated) return null;
  return {
    become: true,
    journal: true,
    description: `${cfg.path}: no fresh login after the reload: the previous file put back, sshd reloaded`,
    stdin: cfg.content,
    command: sshdWriteCommand(facts, controller, quarantineDir, null, 'sshd_config-lockout'),
  };
}

export function planSsh(facts: HostFacts, vars: SshVars, controller: ControllerInfo, quarantineDir: string): SshPlan {
  const mine = [...new Set(controller.keyFingerprints)];
  const keep = new Set([...(vars.allowedKeys ?? []), ...mine]);
  for (const fp of mine) {
    if (!vars.allowedKeys || vars.allowedKeys.includes(fp)) continue;
    const has = facts.authorizedKeys.some((f) => f.keys.some((k) => k.fingerprint === fp));
    if (has) return { refused: `the allowlist would drop the key the controller logs in with (${fp}). Fix: add it to ssh_allowed_keys` };
  }
  const steps: Step[] = [];
  const notes: string[] = [];
  if (!mine.length && !vars.allowedKeys) notes.push('cannot tell which key the controller logs in with: authorized_keys left as they are (give ssh_allowed_keys)');
  else for (const f of facts.authorizedKeys) steps.push(...keySteps(f, keep, quarantineDir));
  const s = sshdStep(facts, { ...SSHD_DEFAULTS, ...(vars.sshdOptions ?? {}) }, controller, quarantineDir);
  if (s && 'refused' in s) return s;
  if (s) steps.push(s);
  else if (!facts.sshdConfig) notes.push('sshd_config was not read by the probe: not changed');
  return { steps, notes };
}

