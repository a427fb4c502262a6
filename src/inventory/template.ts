import { InventoryError } from './errors.js';
import type { Vars } from './types.js';

// The small part of Jinja that connection variables use: `{{ name }}` referring to another
// variable (or inventory_hostname / inventory_hostname_short). Anything richer (filters,
// lookups) is refused with a clear error rather than passed on as a literal.

/** Replace `{{ var }}` references in `text` with the host's variables, recursively. */
export function renderTemplate(text: string, vars: Vars, hostName: string, varName: string, depth = 0): string {
  if (!text.includes('{{')) return text;
  if (depth > 10) throw new InventoryError(`${varName} refers to itself through {{ }} references (a loop).`, { host: hostName });
  return text.replace(/\{\{(.*?)\}\}/gs, (whole, expr: string) => {
    const name = expr.trim();
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      throw new InventoryError(
        `${varName} uses the Jinja expression ${JSON.stringify(whole)}, which minesweep cannot evaluate (only {{ variable }} is supported). Fix: give the value directly.`,
        { host: hostName },
      );
    }
    if (name === 'inventory_hostname') return hostName;
    if (name === 'inventory_hostname_short') return hostName.split('.')[0]!;
    const value = vars[name];
    if (value === undefined || value === null) {
      throw new InventoryError(`${varName} refers to {{ ${name} }}, which is not defined for this host. Fix: define ${name} in the inventory, group_vars or host_vars.`, { host: hostName });
    }
    if (typeof value === 'object') throw new InventoryError(`${varName} refers to {{ ${name} }}, which is not a plain value.`, { host: hostName });
    return renderTemplate(String(value), vars, hostName, name, depth + 1);
  });
}
