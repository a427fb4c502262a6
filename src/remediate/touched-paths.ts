import type { Artifact } from '../findings/types.js';
import { droppedExe } from './phase-plan.js';

// The host paths the remediation edits, moves or renames, for unlocking (chattr -i -a)
// before and checking after.

/** Paths the plan will edit (line removals). */
export function editedPaths(artifacts: Artifact[]): string[] {
  const out: string[] = [];
  for (const a of artifacts) {
    if (a.type === 'cron-line' || a.type === 'profile-line' || a.type === 'authorized-key' || a.type === 'hosts-entry' || a.type === 'preload') out.push(a.path);
    if (a.type === 'account') out.push('/etc/passwd', '/etc/shadow');
  }
  return [...new Set(out)];
}

/** Paths the plan will move into quarantine (files phase and persistence files). */
export function quarantinedPaths(artifacts: Artifact[]): string[] {
  const out: string[] = [];
  for (const a of artifacts) {
    if (a.type === 'file' || a.type === 'unit' || a.type === 'init-script') out.push(a.path);
    if (a.type === 'renamed-binary') out.push(a.replacement);
    if (a.type === 'preload' && a.entry.startsWith('/')) out.push(a.entry);
    if (a.type === 'process') {
      const e = droppedExe(a.exe);
      if (e) out.push(e);
    }
  }
  return [...new Set(out)];
}

/** Every path the plan touches, with the parent directories. */
export function touchedPaths(artifacts: Artifact[]): string[] {
  const files = [...editedPaths(artifacts), ...quarantinedPaths(artifacts)];
  for (const a of artifacts) {
    if (a.type === 'immutable') files.push(a.path);
    if (a.type === 'renamed-binary') files.push(a.original);
  }
  const withParents: string[] = [];
  for (const f of files) {
    withParents.push(f);
    const i = f.lastIndexOf('/');
    if (i > 0) withParents.push(f.slice(0, i));
  }
  return [...new Set(withParents)];
}
