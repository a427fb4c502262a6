import type { HostRun } from './types.js';

/** "the probe did not finish: processes, units" for a host whose facts are partial, else ''. */
export function incompleteNote(h: Pick<HostRun, 'incomplete'>): string {
  return h.incomplete?.length ? `the probe did not finish: ${h.incomplete.join(', ')}` : '';
}
