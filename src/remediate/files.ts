import type { Artifact } from '../findings/types.js';
import { planQuarantine } from '../quarantine/plan.js';
import type { RemediateContext } from './context.js';
import type { PhasePlan } from './phase-plan.js';
import { droppedExe } from './phase-plan.js';
import { protectedPath } from '../planning/guards.js';

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

/** The same path once /bin, /sbin and /lib* are taken as the /usr ones (merged /usr). */
const usrMerged = (p: string) => p.replace(/^\/(bin|sbin|lib(?:32|64|x32)?)\//, '/usr/$1/');

/** Is `p` the genuine tool a renamed-binary artifact says the malware renamed (ps.original)? */
export function isRenamedOriginal(artifacts: Artifact[], p: string): boolean {
  return artifacts.some((a) => a.type === 'renamed-binary' && usrMerged(a.original) === usrMerged(p));
}

export function planFiles(artifacts: Artifact[], ctx: RemediateContext): PhasePlan {
  const notes: string[] = [];
  // the genuine tool the malware renamed (ps.original) is put back by the restore phase, never quarantined
  const paths = filesToQuarantine(artifacts).filter((p) => {
    if (isRenamedOriginal(artifacts, p)) {
      notes.push(`not quarantining ${p}: it is the genuine tool the malware renamed (the restore phase puts it back)`);
      return false;
    }
    const why = protectedPath(p);
    if (why) notes.push(`not quarantining ${p}: ${why}`);
    return !why;
  });
  return { steps: planQuarantine(paths, ctx.quarantineDir, 'files'), notes };
}
