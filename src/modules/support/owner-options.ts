import type { OptionSchema, ValidationProblem } from '../../playbook/module-types.js';
import { normMode, type Ownership } from './file-steps.js';

// The mode/owner/group options shared by copy, template, lineinfile and file.

export const OWNERSHIP_OPTIONS: OptionSchema = {
  mode: { type: ['string', 'number'], description: 'file mode, octal as a string ("0644") or symbolic (u+x)' },
  owner: { type: 'string', description: 'user name (or uid) that should own the file' },
  group: { type: 'string', description: 'group name (or gid) of the file' },
};

export function ownershipOf(args: Record<string, unknown>): Ownership {
  const o: Ownership = {};
  const mode = normMode(args['mode']);
  if (mode) o.mode = mode;
  if (typeof args['owner'] === 'string' && args['owner']) o.owner = args['owner'];
  if (typeof args['group'] === 'string' && args['group']) o.group = args['group'];
  return o;
}

/** A problem when `value` of `option` is not an absolute path (none when it is). */
export function absolutePathProblems(option: string, value: string): ValidationProblem[] {
  return value.startsWith('/') ? [] : [{ option, message: `${option} must be an absolute path`, expected: '/etc/…', got: value, fix: 'start the path with /' }];
}
