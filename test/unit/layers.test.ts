// The import graph of src/ points one way: model types at the bottom, commands on top.
// Built from the source text (import/export … from specifiers), not from a bundler.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src');

/** Top-level directories of src/ by layer, lowest first; a directory may import only its own layer or lower ones. */
const LAYERS: string[][] = [
  ['core', 'facts', 'findings', 'actions', 'run'], // model types
  ['inventory', 'transport', 'probe', 'lab'], // inventory, transport, probe (the lab builds hosts, imports core only)
  ['catalogue', 'evidence'], // the catalogue and the evidence helpers rules and pivot share
  ['rules', 'pivot'], // detect: host rules and the fleet pivot
  ['detect'], // the fleet analysis over both
  ['quarantine', 'planning'], // what the planners share: quarantine and undo scripts, the guards, line edits
  ['sweep', 'remediate', 'harden', 'report', 'merge', 'incident'], // sweep, the pure planners, the reports (one run, an incident)
  ['engine', 'playbook'], // the engine
  ['modules'], // the only place a step is built
  ['commands', 'cli'], // thin commands on top
];

/** Same-layer peers that must not import each other (they meet over a lower layer). */
const PEERS: [string, string][] = [
  ['rules', 'pivot'],
  ['harden', 'remediate'],
];

/** Edges (importing file → imported top-level dir) that break the order, each with why (none today). */
const ALLOWED: Record<string, string> = {};

/** Files allowed a dynamic import(), with why. */
const DYNAMIC_OK: Record<string, string> = {
  'cli.ts': 'loads only the command being run (start-up time); each command is a static graph below it',
  'playbook/registry.ts': 'discovers module files in src/modules at run time (a static import would point the engine up at modules)',
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

const SPECIFIER = /(?:^|[\n;])\s*(?:import|export)\s(?:[^'";]*?\sfrom\s*)?['"]([^'"]+)['"]/g;
const DYNAMIC = /(?<![\w.$])import\s*\(/;

function topOf(rel: string): string {
  const parts = rel.split('/');
  return parts.length > 1 ? parts[0]! : parts[0]!.replace(/\.ts$/, '');
}

interface Edge { file: string; from: string; to: string }

function graph(): { edges: Edge[]; dynamic: string[] } {
  const edges: Edge[] = [];
  const dynamic: string[] = [];
  for (const abs of sourceFiles(SRC)) {
    const rel = path.relative(SRC, abs).split(path.sep).join('/');
    const text = readFileSync(abs, 'utf8');
    const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
    if (DYNAMIC.test(code)) dynamic.push(rel);
    for (const m of code.matchAll(SPECIFIER)) {
      const spec = m[1]!;
      if (!spec.startsWith('.')) continue;
      const target = path.relative(SRC, path.resolve(path.dirname(abs), spec)).split(path.sep).join('/');
      if (target.startsWith('..')) continue;
      const from = topOf(rel);
      const to = topOf(target);
      if (from !== to) edges.push({ file: rel, from, to });
    }
  }
  return { edges, dynamic };
}

const layerOf = new Map(LAYERS.flatMap((dirs, i) => dirs.map((d) => [d, i] as const)));
const { edges, dynamic } = graph();
const key = (e: Edge) => `${e.file} -> ${e.to}`;
const allowed = (e: Edge) => key(e) in ALLOWED;

describe('layers (src/ import graph)', () => {
  it('finds the graph (sanity: sweep imports probe statically)', () => {
    expect(edges.length).toBeGreaterThan(50);
    expect(edges.some((e) => e.from === 'sweep' && e.to === 'probe')).toBe(true);
  });

  it('every top-level directory has a layer', () => {
    const dirs = new Set(readdirSync(SRC, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name));
    expect([...dirs].filter((d) => !layerOf.has(d))).toEqual([]);
  });

  it('imports point down (or within a layer), except the commented allowlist', () => {
    const up = edges.filter((e) => (layerOf.get(e.to) ?? 0) > (layerOf.get(e.from) ?? 0) && !allowed(e)).map(key);
    expect([...new Set(up)]).toEqual([]);
  });

  it('peers do not import each other, except the commented allowlist', () => {
    const bad = edges.filter((e) => PEERS.some(([a, b]) => (e.from === a && e.to === b) || (e.from === b && e.to === a)) && !allowed(e)).map(key);
    expect([...new Set(bad)]).toEqual([]);
  });

  it('no cycles between top-level directories (allowlisted edges left out)', () => {
    const next = new Map<string, Set<string>>();
    for (const e of edges.filter((x) => !allowed(x))) next.set(e.from, (next.get(e.from) ?? new Set()).add(e.to));
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (n: string, trail: string[]) => {
      if (state.get(n) === 'done') return;
      if (state.get(n) === 'open') return void cycles.push([...trail.slice(trail.indexOf(n)), n].join(' -> '));
      state.set(n, 'open');
      for (const m of next.get(n) ?? []) visit(m, [...trail, n]);
      state.set(n, 'done');
    };
    for (const n of next.keys()) visit(n, []);
    expect(cycles).toEqual([]);
  });

  it('no dynamic import() in src/ except the justified ones', () => {
    expect(dynamic.filter((f) => !(f in DYNAMIC_OK)).sort()).toEqual([]);
  });

  it('every allowlist entry is still needed (remove the ones the code no longer has)', () => {
    const present = new Set(edges.map(key));
    expect(Object.keys(ALLOWED).filter((k) => !present.has(k))).toEqual([]);
    expect(Object.keys(DYNAMIC_OK).filter((f) => !dynamic.includes(f))).toEqual([]);
  });
});
