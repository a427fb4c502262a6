#!/usr/bin/env node
// The fleet analysis (rules + pivot) at N hosts without SSH: the recorded lab facts, the hosts
// that carry the pivot host's indicators copied until the fleet has N hosts. Prints the CPU of
// analyzeFleet, its ms per host, and the size of the findings as run.json would hold them.
// Usage: node bench/pivot-scale.mjs [--hosts 1000] [--dist DIR]
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = path.dirname(fileURLToPath(import.meta.url));
const { values: a } = parseArgs({ options: { hosts: { type: 'string', default: '1000' }, dist: { type: 'string', default: path.join(here, '..', 'dist') } } });
const { analyzeFleet } = await import(path.join(a.dist, 'detect/analyze-fleet.js'));
const { loadCatalogue } = await import(path.join(a.dist, 'catalogue/load.js'));
const dir = path.join(here, '..', 'test/fixtures/facts/lab');
const scenarios = JSON.parse(readFileSync(path.join(dir, 'scenarios.json'), 'utf8'));
const fleet = Object.keys(scenarios).map((s) => JSON.parse(gunzipSync(readFileSync(path.join(dir, `${s}.json.gz`))).toString('utf8')));
const catalogue = loadCatalogue([]);
const trustedKeys = ['SHA256:PE+pHSB8HDH/okAkmZCIXDPR9jlrnu+1WYPLYaAGsmY'];
const pivotHost = scenarios.pivot.host;
const carriers = fleet.filter((f) => analyzeFleet(fleet, { catalogue, trustedKeys }).findings.get(pivotHost).some((x) => x.pivot.seenOn.includes(f.host)));
const n = Number(a.hosts);
const big = [...fleet];
for (let i = 0; big.length < n; i++) big.push({ ...carriers[i % carriers.length], host: `${carriers[i % carriers.length].host}-${i}` });
const c0 = process.cpuUsage();
const { findings } = analyzeFleet(big, { catalogue, trustedKeys });
const c = process.cpuUsage(c0);
const ms = (c.user + c.system) / 1000;
const bytes = Buffer.byteLength(JSON.stringify([...findings.values()]));
const pivotBytes = Buffer.byteLength(JSON.stringify(findings.get(pivotHost)));
console.log(`pivot-scale: ${big.length} hosts, ${ms.toFixed(0)} ms CPU (${(ms / big.length).toFixed(2)} ms/host), findings ${(bytes / 1024).toFixed(0)} KB, the pivot host's ${(pivotBytes / 1024).toFixed(1)} KB`);
