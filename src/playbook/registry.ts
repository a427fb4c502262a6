import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Module } from './module-types.js';

// The module registry: every file in src/modules/ (dist/modules/) that exports
// `module: Module` is a module; helpers without that export are ignored.

const modules = new Map<string, Module>();
const loadErrors = new Map<string, string>();

/** Module files that failed to load (file base name → error): a broken module never breaks the others. */
export function moduleLoadError(name: string): string | undefined {
  return loadErrors.get(name);
}
let loaded: Promise<void> | undefined;

/** Add (or replace) a module: tests and plug-ins. */
export function registerModule(m: Module): void {
  modules.set(m.name, m);
}

export function getModule(name: string): Module | undefined {
  return modules.get(name);
}

export function moduleNames(): string[] {
  return [...modules.keys()].sort();
}

/** The directory holding the module files next to this one (src/modules or dist/modules). */
export const modulesDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'modules');

function isModule(v: unknown): v is Module {
  return !!v && typeof v === 'object' && typeof (v as Module).name === 'string' && typeof (v as Module).options === 'object' && (typeof (v as Module).plan === 'function' || typeof (v as Module).observe === 'function');
}

/** Load every module file once (idempotent). */
export function loadModules(dir = modulesDir): Promise<void> {
  loaded ??= (async () => {
    let files: string[] = [];
    try {
      files = readdirSync(dir).filter((f) => /\.(js|ts)$/.test(f) && !/\.d\.ts$|\.test\.ts$/.test(f)).sort();
    } catch {
      return;
    }
    const ext = files.some((f) => f.endsWith('.js')) ? '.js' : '.ts';
    for (const f of files.filter((x) => x.endsWith(ext))) {
      try {
        const mod = (await import(pathToFileURL(path.join(dir, f)).href)) as { module?: unknown };
        if (isModule(mod.module) && !modules.has(mod.module.name)) modules.set(mod.module.name, mod.module);
      } catch (e) {
        loadErrors.set(f.replace(/\.(js|ts)$/, ''), (e as Error).message.split('\n')[0] ?? String(e));
      }
    }
  })();
  return loaded;
}
