import type { OptionSchema } from '../../playbook/module-types.js';
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
