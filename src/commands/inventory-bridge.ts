import type { Inventory, InventoryHost } from '../inventory/types.js';

// The inventory engineer's loadInventory(paths) and selectHosts(inv, pattern, limit) are
// being written in parallel; this bridge finds them at run time so the fleet commands build
// before they land. (To be replaced by static imports once src/inventory/ has them.)

type Loader = (paths: string[]) => Inventory | Promise<Inventory>;
type Selector = (inv: Inventory, pattern: string, limit?: string) => InventoryHost[];

async function find<T>(name: string, modules: string[]): Promise<T> {
  for (const m of modules) {
    try {
      const mod = (await import(m)) as Record<string, unknown>;
      if (typeof mod[name] === 'function') return mod[name] as T;
    } catch {
      /* not there yet */
    }
  }
  throw new Error(`the inventory loader is not built yet (${name} not found in src/inventory/)`);
}

const candidates = ['index', 'load', 'loader', 'load-inventory', 'inventory', 'select', 'select-hosts', 'patterns', 'pattern'].map(
  (n) => new URL(`../inventory/${n}.js`, import.meta.url).href,
);

export async function loadInventoryFiles(paths: string[]): Promise<Inventory> {
  return (await find<Loader>('loadInventory', candidates))(paths);
}

let selector: Selector | undefined;
export function selectInventoryHosts(inv: Inventory, pattern: string, limit?: string): InventoryHost[] {
  if (!selector) throw new Error('selectHosts not loaded');
  return selector(inv, pattern, limit);
}

/** Resolve selectHosts once (call before selectInventoryHosts). */
export async function prepareSelector(): Promise<void> {
  selector ??= await find<Selector>('selectHosts', candidates);
}
