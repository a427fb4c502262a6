// --tags / --skip-tags as Ansible reads them: a task runs when one of its tags (its own and
// its play's) is asked for, or it is tagged `always`; `never` tasks run only when one of
// their other tags is asked for by name; --skip-tags wins; `all`, `tagged`, `untagged` work.

export function tagSelected(taskTags: readonly string[], tags?: readonly string[], skip?: readonly string[]): boolean {
  const has = (t: string) => taskTags.includes(t);
  if (skip?.length) {
    if (skip.some((t) => has(t))) return false;
    if (skip.includes('all') && !has('always')) return false;
    if (skip.includes('tagged') && taskTags.length) return false;
    if (skip.includes('untagged') && !taskTags.length) return false;
  }
  const named = (tags ?? []).filter((t) => !['all', 'tagged', 'untagged'].includes(t));
  if (has('never') && !named.some((t) => t !== 'never' && has(t))) return false;
  if (!tags?.length) return true;
  if (has('always')) return true;
  if (tags.includes('all')) return true;
  if (tags.includes('tagged') && taskTags.length) return true;
  if (tags.includes('untagged') && !taskTags.length) return true;
  return named.some((t) => has(t));
}

/** "a,b, c" (repeatable flag values) → [a, b, c]. */
export function tagList(values: string | string[] | undefined): string[] | undefined {
  if (values === undefined) return undefined;
  const list = (Array.isArray(values) ? values : [values]).flatMap((v) => v.split(',')).map((s) => s.trim()).filter(Boolean);
  return list.length ? list : undefined;
}
