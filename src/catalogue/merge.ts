import { emptyCatalogue, type Catalogue, type Family } from './types.js';

const uniq = <T>(xs: T[]): T[] => [...new Set(xs)];

function mergeFamily(a: Family, b: Family): Family {
  return {
    id: a.id,
    name: b.name !== b.id ? b.name : a.name,
    description: b.description || a.description,
    processes: [...a.processes, ...b.processes.filter((p) => !a.processes.some((q) => q.name === p.name))],
    paths: uniq([...a.paths, ...b.paths]),
    strings: uniq([...a.strings, ...b.strings]),
    units: uniq([...a.units, ...b.units]),
    preload: uniq([...a.preload, ...b.preload]),
    accounts: uniq([...a.accounts, ...b.accounts]),
    keyComments: uniq([...a.keyComments, ...b.keyComments]),
    domains: uniq([...a.domains, ...b.domains]),
    ips: uniq([...a.ips, ...b.ips]),
    urls: uniq([...a.urls, ...b.urls]),
    sha256: uniq([...a.sha256, ...b.sha256]),
    remedy: b.remedy || a.remedy,
    ...(a.generic || b.generic ? { generic: true } : {}),
  };
}

/** Merge catalogue documents in order; a family id seen again extends the earlier one. */
export function mergeCatalogues(...parts: Catalogue[]): Catalogue {
  const out = emptyCatalogue();
  const byId = new Map<string, Family>();
  for (const p of parts) {
    for (const f of p.families) byId.set(f.id, byId.has(f.id) ? mergeFamily(byId.get(f.id)!, f) : f);
    out.minerPorts.push(...p.minerPorts);
    out.poolDomains.push(...p.poolDomains);
    out.minerMarkers.push(...p.minerMarkers.filter((m) => !out.minerMarkers.some((n) => n.text === m.text)));
    out.kernelThreadNames.push(...p.kernelThreadNames);
    out.rootkitModules.push(...p.rootkitModules);
    out.iocs.push(...p.iocs.filter((i) => !out.iocs.some((j) => j.type === i.type && j.value === i.value)));
    out.trustedKeys.push(...p.trustedKeys);
    out.sources.push(...p.sources);
  }
  out.families = [...byId.values()];
  out.minerPorts = uniq(out.minerPorts);
  out.poolDomains = uniq(out.poolDomains);
  out.kernelThreadNames = uniq(out.kernelThreadNames);
  out.rootkitModules = uniq(out.rootkitModules);
  out.trustedKeys = uniq(out.trustedKeys);
  return out;
}
