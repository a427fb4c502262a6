#!/usr/bin/env node
// The ssh2 floor: what bare ssh2 (no minesweep code) costs the controller per connection for
// the scale case's work — connect, authenticate with the lab key, exec `cat FILE`, read it
// all, close — so the scale case can say how much of minesweep's CPU per host is ssh2's.
// Lab addresses only. Prints one JSON line: { connections, ok, cpuMsPerConnection, wallSeconds }.
// Usage: node bench/ssh2-floor.mjs --key FILE --addresses a,b,c --n 1000 --forks 10 --file /tmp/X
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);
const { Client } = require('ssh2');
const { values: a } = parseArgs({ options: { key: { type: 'string' }, addresses: { type: 'string' }, n: { type: 'string', default: '1000' }, forks: { type: 'string', default: '10' }, file: { type: 'string' } } });
const key = readFileSync(a.key);
const addresses = a.addresses.split(',').filter(Boolean);
const n = Number(a.n);
let next = 0;
let ok = 0;
let firstError;
const one = (i) =>
  new Promise((done) => {
    const c = new Client();
    c.on('ready', () =>
      c.exec(`cat '${a.file.replace(/'/g, `'\\''`)}'`, (e, s) => {
        if (e) return c.end(), done();
        s.on('data', () => {});
        s.on('close', (code) => {
          if (code === 0) ok++;
          c.end();
          done();
        });
      }),
    );
    c.on('error', (e) => {
      firstError ??= e.message;
      done();
    });
    c.connect({ host: addresses[i % addresses.length], port: 22, username: 'root', privateKey: key, hostVerifier: () => true, readyTimeout: 120_000 });
  });
const c0 = process.cpuUsage();
const w0 = performance.now();
await Promise.all(Array.from({ length: Number(a.forks) }, async () => { while (next < n) await one(next++); }));
const c = process.cpuUsage(c0);
console.log(JSON.stringify({ connections: n, ok, cpuMsPerConnection: (c.user + c.system) / 1000 / n, wallSeconds: (performance.now() - w0) / 1000, ...(firstError ? { firstError } : {}) }));
