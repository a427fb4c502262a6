import type { HostFacts, IntegrityFile } from '../../facts/types.js';

// The integrity table of a host, looked up by path (merged /usr aliases too).

const tables = new WeakMap<HostFacts, Map<string, IntegrityFile>>();

export function integrityOf(facts: HostFacts, path: string): IntegrityFile | undefined {
  let t = tables.get(facts);
  if (!t) tables.set(facts, (t = new Map((facts.integrity?.files ?? []).map((f) => [f.path, f]))));
  return t.get(path) ?? (/^\/(bin|sbin|lib|lib64)\//.test(path) ? t.get(`/usr${path}`) : undefined);
}

/** In one of the system directories the probe listed entry by entry (package territory). */
export function inSystemDir(facts: HostFacts, path: string): boolean {
  const dir = path.slice(0, path.lastIndexOf('/'));
  const dirs = facts.integrity?.dirs ?? [];
  return dirs.some((d) => dir === d || dir.startsWith(`${d}/`)) || (/^\/(bin|sbin|lib|lib64)\//.test(path) && dirs.some((d) => `/usr${dir}` === d));
}

/** Package-owned and unmodified (by the integrity table, or a file the probe shipped as verified). */
export const packageVerified = (facts: HostFacts, path: string): boolean => integrityOf(facts, path)?.state === 'verified';

/** Why a file a persistence entry or process runs is untrusted by its package state ('' when it is not). */
export function packageDeviation(facts: HostFacts, path: string): string {
  const f = integrityOf(facts, path);
  if (!f) return '';
  if (f.state === 'modified') return `${f.path} differs from package ${f.package ?? '?'}`;
  if (f.state !== 'unowned') return '';
  if (f.copyOf) return `${f.path} is a copy of ${f.copyOf} under another name`;
  if (inSystemDir(facts, f.path)) return `no package owns ${f.path}, in a system directory`;
  return '';
}
