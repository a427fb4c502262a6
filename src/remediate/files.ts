import type { Artifact } from '../findings/types.js';
import { planQuarantine } from '../quarantine/plan.js';
import type { RemediateContext } from './context.js';
import type { PhasePlan } from './phase-plan.js';
import { droppedExe } from './phase-plan.js';
import { protectedPath } from './guards.js';

// Files (step 7): dropped files, preloaded libraries, replaced system binaries and the
// executables of killed processes are moved into quarantine — never deleted.

export function filesToQuarantine(artifacts: Artifact[]): string[] {
  const out: string[] = [];
  for (const a of artifacts) {
    if (a.type === 'file') out.push(a.path);
    if (a.type === 'preload' && a.entry.startsWith('/')) out.push(a.entry);
    if (a.type === 'renamed-binary') out.push(a.replacement);
    if (a.type === 'process') {
      const e = droppedExe(a.exe);
      if (e) out.push(e);
    }
  }
  return [...new Set(out)];
}

export function planFiles(artifacts: Artifact[], ctx: RemediateContext): PhasePlan {
  const notes: string[] = [];
  const paths = filesToQuarantine(artifacts).filter((p) => {
    const why = protectedPath(p);
    if (why) notes.push(`not quarantining ${p}: ${why}`);
    return !why;
  });
  return { steps: planQuarantine(paths, ctx.quarantineDir, 'files'), notes };
}
