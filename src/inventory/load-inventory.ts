import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { buildInventory } from './build-inventory.js';
import { InventoryError } from './errors.js';
import { InventoryData } from './inventory-data.js';
import { parseInventorySource } from './parse-source.js';
import { expandHostPattern } from './ranges.js';
import type { Inventory, Vars } from './types.js';
import type { VarsFiles } from './merge-vars.js';
import { isVarsDirEntry, parseVarsFile, VARS_SUFFIXES } from './vars-files.js';

// The only I/O of the inventory: read the -i sources (files, directories, or Ansible's
// "host1,host2," list), then group_vars/ and host_vars/ next to each source; everything
// else is pure (parse-source, build-inventory).

// Files Ansible skips when an inventory directory is read (INVENTORY_IGNORE_EXTS and friends).
const IGNORED = /^\.|^host_vars$|^group_vars$|^vars_plugins$|(\.pyc|\.pyo|\.swp|\.bak|~|\.rpm|\.md|\.txt|\.rst|\.orig|\.ini|\.cfg|\.retry)$/;

/** Read and resolve the inventories given with -i (in order; later ones add to and override earlier ones). */
export async function loadInventory(paths: string[]): Promise<Inventory> {
  if (paths.length === 0) throw new InventoryError('no inventory given. Fix: pass -i inventory.yml (or an INI file, or ansible-inventory --list JSON).');
  const data = new InventoryData();
  const basedirs: string[] = [];
  for (const p of paths) {
    const kind = await kindOf(p);
    if (kind === undefined) {
      if (p.includes(',')) {
        addHostList(p, data);
        continue;
      }
      throw new InventoryError(`the inventory ${p} does not exist. Fix: check the path given with -i.`, { file: p });
    }
    basedirs.push(kind === 'dir' ? p : dirname(p));
    if (kind === 'dir') await readDirectory(p, data);
    else await readSource(p, data);
  }
  data.reconcile();
  const files: VarsFiles[] = [];
  for (const dir of basedirs) {
    const f: VarsFiles = { groups: new Map(), hosts: new Map() };
    await readVarsFolder(join(dir, 'group_vars'), data.groups.keys(), f.groups);
    await readVarsFolder(join(dir, 'host_vars'), data.hosts.keys(), f.hosts);
    files.push(f);
  }
  return buildInventory(data, files);
}

async function readSource(file: string, data: InventoryData): Promise<void> {
  const text = (await readFile(file, 'utf8')).replace(/^\uFEFF/, '');
  const st = await stat(file);
  if (text.startsWith('#!') && (st.mode & 0o111) !== 0) {
    throw new InventoryError(`${basename(file)} is an executable inventory script, which minesweep does not run. Fix: run \`ansible-inventory -i ${file} --list > inventory.json\` and pass that file.`, { file, line: 1, column: 1 });
  }
  try {
    parseInventorySource(text, file, data);
  } catch (e) {
    throw e instanceof InventoryError ? e.withFile(file) : e;
  }
  data.sources.push(file);
}

async function readDirectory(dir: string, data: InventoryData): Promise<void> {
  for (const entry of (await readdir(dir)).sort()) {
    if (IGNORED.test(entry)) continue;
    const p = join(dir, entry);
    if ((await kindOf(p)) === 'dir') await readDirectory(p, data);
    else await readSource(p, data);
  }
}

/** Ansible's host_list source: `-i 'web1,web2:2222,'` */
function addHostList(list: string, data: InventoryData): void {
  for (const item of list.split(',').map((s) => s.trim()).filter(Boolean)) {
    const { hosts, port } = expandHostPattern(item);
    for (const h of hosts) data.addHost(h, 'ungrouped', port);
  }
  data.sources.push(list);
}

/** group_vars/ or host_vars/: the folder is listed once, then each known name is looked up in the listing. */
async function readVarsFolder(base: string, names: Iterable<string>, into: Map<string, Vars>): Promise<void> {
  if ((await kindOf(base)) !== 'dir') return;
  const entries = new Set(await readdir(base));
  for (const name of names) {
    const suffix = VARS_SUFFIXES.find((s) => entries.has(name + s));
    if (suffix === undefined) continue;
    const p = join(base, name + suffix);
    const vars = (await kindOf(p)) === 'dir' ? await readVarsDir(p) : parseVarsFile(await readFile(p, 'utf8'), p);
    into.set(name, vars);
  }
}

async function readVarsDir(dir: string): Promise<Vars> {
  const out: Vars = {};
  for (const entry of (await readdir(dir)).sort()) {
    const p = join(dir, entry);
    const kind = await kindOf(p);
    if (!isVarsDirEntry(entry, kind === 'dir')) continue;
    Object.assign(out, kind === 'dir' ? await readVarsDir(p) : parseVarsFile(await readFile(p, 'utf8'), p));
  }
  return out;
}

async function kindOf(p: string): Promise<'file' | 'dir' | undefined> {
  try {
    const st = await stat(p);
    return st.isDirectory() ? 'dir' : 'file';
  } catch {
    return undefined;
  }
}
