import { quote } from '../core/quote.js';
import type { Step } from '../actions/types.js';
import type { Artifact } from '../findings/types.js';
import type { TextFile } from '../facts/types.js';
import { quarantineLine, quarantineScript } from '../quarantine/plan.js';
import type { RemediateContext } from './context.js';
import { removalDiff } from '../core/diff.js';
import { protectedPath } from '../planning/guards.js';
import { removeLinesScript, type LinkPolicy } from '../planning/line-edit.js';
import { groupBy, type PhasePlan } from './phase-plan.js';

// Persistence (step 4): malicious cron lines (legitimate lines in the same file stay),
// systemd units and timers (stopped, disabled, wants links and unit file quarantined),
// rc/init scripts (and their rc?.d links), ld.so.preload entries, profile lines, hosts
// entries. Line removals are by content and show a diff in check mode.

/** The facts' copy of a file, for diffs. */
export function factFile(ctx: RemediateContext, path: string): TextFile | undefined {
  const f = ctx.facts;
  const all: Array<TextFile | null | undefined> = [...f.cron, ...f.profiles, ...f.initScripts, ...f.authorizedKeys, f.ldPreload, f.etcHosts];
  return all.find((t): t is TextFile => !!t && t.path === path);
}

/**
 * One step removing these exact lines from one file. `links`: what to do when the file is a
 * symlink (never edited through): 'quarantine' the link itself where the file's only job is
 * to run things (cron, preload, profile.d), 'keep' it where it is shared configuration.
 */
export function lineRemovalStep(ctx: RemediateContext, path: string, lines: string[], phase: Step['phase'], what: string, links: LinkPolicy = 'keep'): Step {
  const content = factFile(ctx, path)?.content;
  const diff = content !== undefined ? removalDiff(path, content, new Set(lines)) : '';
  return {
    phase,
    become: true,
    journal: true,
    description: `remove ${lines.length} ${what} line(s) from ${path} (by content; other lines kept; original kept in quarantine)`,
    command: removeLinesScript(path, lines, ctx.quarantineDir, links),
    ...(diff ? { diff } : {}),
  };
}

/** The preload lines holding an entry (whitespace-separated) according to the facts. */
function preloadLines(ctx: RemediateContext, path: string, entries: string[]): string[] {
  const content = factFile(ctx, path)?.content;
  if (content === undefined) return entries;
  const lines = content.split('\n').filter((l) => l.split(/[\s:]+/).some((tok) => entries.includes(tok)));
  return lines.length ? lines : entries;
}

const UNIT_LIB = String.raw`
ms_has_systemd() { [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; }
ms_unit_links() {
  for d in /etc/systemd/system /etc/systemd/user /usr/lib/systemd/system /lib/systemd/system /run/systemd/system /root/.config/systemd/user /home/*/.config/systemd/user; do
    for l in "$d"/*.wants/"$1" "$d"/*.requires/"$1"; do
      if [ -L "$l" ]; then ms_quarantine "$l" link || ms_fail=1; fi
    done
  done
}
`;

function unitSteps(ctx: RemediateContext, units: Extract<Artifact, { type: 'unit' }>[]): Step[] {
  return units.map((u) => {
    const timer = u.name.endsWith('.service') ? u.name.replace(/\.service$/, '.timer') : '';
    const timerPath = timer ? u.path.slice(0, u.path.lastIndexOf('/') + 1) + timer : '';
    const names = timer ? [u.name, timer] : [u.name];
    const user = u.scope === 'user' ? '--user ' : '';
    // stopped, then its wants/requires links and files moved into quarantine (recorded first):
    // that disables it; `systemctl disable` would remove links no record describes
    const body = [
      UNIT_LIB,
      `if [ "$MS_PHASE" != record ] && ms_has_systemd; then for n in ${names.map(quote).join(' ')}; do systemctl ${user}stop -- "$n" 2>/dev/null; done; fi`,
      ...names.map((n) => `ms_unit_links ${quote(n)}`),
      timer ? quarantineLine(timerPath) : '',
      quarantineLine(u.path),
      'if [ "$MS_PHASE" != record ] && ms_has_systemd; then systemctl daemon-reload 2>/dev/null; fi',
    ].filter(Boolean);
    return {
      phase: 'persistence' as const,
      become: true,
      journal: true,
      description: `stop and disable unit ${u.name}${timer ? ` (and ${timer} if present)` : ''}, quarantine its wants links and ${u.path}`,
      command: quarantineScript(ctx.quarantineDir, body),
    };
  });
}

const INIT_LIB = String.raw`
ms_rc_links() {
  for l in /etc/rc[0-6S].d/* /etc/rc.d/rc[0-6].d/*; do
    if [ -L "$l" ] && [ "$(basename -- "$(readlink -- "$l")")" = "$1" ]; then ms_quarantine "$l" rclink || ms_fail=1; fi
  done
}
`;

function initSteps(ctx: RemediateContext, scripts: Extract<Artifact, { type: 'init-script' }>[]): Step[] {
  if (!scripts.length) return [];
  const body = [INIT_LIB];
  for (const s of scripts) {
    if (protectedPath(s.path)) continue;
    const base = s.path.slice(s.path.lastIndexOf('/') + 1);
    if (s.path.includes('/init.d/')) body.push(`ms_rc_links ${quote(base)}`);
    body.push(quarantineLine(s.path));
  }
  return [
    {
      phase: 'persistence',
      become: true,
      journal: true,
      description: `quarantine init script(s) ${scripts.map((s) => s.path).join(', ')} and their rc links`,
      command: quarantineScript(ctx.quarantineDir, body),
    },
  ];
}

export function planPersistence(artifacts: Artifact[], ctx: RemediateContext): PhasePlan {
  const steps: Step[] = [];
  const cron = artifacts.filter((a): a is Extract<Artifact, { type: 'cron-line' }> => a.type === 'cron-line');
  for (const [path, list] of groupBy(cron, (a) => a.path)) steps.push(lineRemovalStep(ctx, path, list.map((a) => a.line), 'persistence', 'cron', 'quarantine'));
  steps.push(...unitSteps(ctx, artifacts.filter((a): a is Extract<Artifact, { type: 'unit' }> => a.type === 'unit')));
  steps.push(...initSteps(ctx, artifacts.filter((a): a is Extract<Artifact, { type: 'init-script' }> => a.type === 'init-script')));
  const preload = artifacts.filter((a): a is Extract<Artifact, { type: 'preload' }> => a.type === 'preload');
  for (const [path, list] of groupBy(preload, (a) => a.path)) steps.push(lineRemovalStep(ctx, path, preloadLines(ctx, path, list.map((a) => a.entry)), 'persistence', 'preload', 'quarantine'));
  const profile = artifacts.filter((a): a is Extract<Artifact, { type: 'profile-line' }> => a.type === 'profile-line');
  for (const [path, list] of groupBy(profile, (a) => a.path)) steps.push(lineRemovalStep(ctx, path, list.map((a) => a.line), 'persistence', 'profile', path.startsWith('/etc/profile.d/') ? 'quarantine' : 'keep'));
  const hosts = artifacts.filter((a): a is Extract<Artifact, { type: 'hosts-entry' }> => a.type === 'hosts-entry');
  for (const [path, list] of groupBy(hosts, (a) => a.path)) steps.push(lineRemovalStep(ctx, path, list.map((a) => a.line), 'persistence', 'hosts'));
  return { steps, notes: [] };
}
