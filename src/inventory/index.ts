// The inventory's public surface.
export { loadInventory } from './load-inventory.js';
export { selectHosts, splitPattern } from './patterns.js';
export { connectionVars, type ConnectionVars } from './connection-vars.js';
export { InventoryError } from './errors.js';
export type { Inventory, InventoryHost, Target, Vars } from './types.js';
