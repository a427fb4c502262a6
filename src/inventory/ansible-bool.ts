// Ansible's boolean(): the spellings it accepts for true and false; undefined for anything else.
export function ansibleBool(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value === 1 ? true : value === 0 ? false : undefined;
  if (typeof value !== 'string') return undefined;
  const t = value.trim().toLowerCase();
  if (['y', 'yes', 'on', '1', 'true', 't', '1.0'].includes(t)) return true;
  if (['n', 'no', 'off', '0', 'false', 'f', '0.0', ''].includes(t)) return false;
  return undefined;
}
