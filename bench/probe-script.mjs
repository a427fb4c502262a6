#!/usr/bin/env node
// Prints the exact bytes `minesweep sweep` sends to each host's `sh -s` (default --timeout
// 120), so parallel-ssh can send the same probe. It runs minesweep's own sweepFleet with a
// fleet runner that hands it one capturing session instead of SSH: nothing is rebuilt here.
// Usage: node bench/probe-script.mjs > probe.sh   (needs the build: dist/)
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const { sweepFleet } = await import(path.join(dist, 'sweep', 'sweep-fleet.js'));
const { loadCatalogue } = await import(path.join(dist, 'catalogue', 'load.js'));

let sent;
const target = { name: 'bench', address: '127.0.0.1', port: 22, groups: [], vars: {} };
const session = {
  target,
  async exec(command, opts) {
    if (command !== 'sh -s') throw new Error(`unexpected exec: ${command}`);
    sent = Buffer.from(opts.stdin);
    throw new Error('captured');
  },
};
const runFleet = async (targets, fn) => {
  await fn(session).catch(() => {});
  return [];
};
await sweepFleet([target], { catalogue: loadCatalogue([]), fleet: { commandTimeoutMs: 120_000 }, runFleet });
if (!sent) {
  process.stderr.write('probe-script: sweepFleet sent no probe script\n');
  process.exit(1);
}
process.stdout.write(sent);
