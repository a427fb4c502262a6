import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';

// deploy/kubernetes given to kubectl where it is installed (CI has none: skipped with the reason).
// Offline, without a cluster, `apply/create --dry-run=client` need the API server's discovery;
// the `--local` commands do not. `kubectl set env --local -o json` decodes each Job into
// Kubernetes' own Go types and encodes it back: a wrong type fails the decode, and a misspelt
// or unknown field is dropped, so every field of the file must come back with its value.
// `kubectl label --local` resolves every document's apiVersion and kind (ConfigMap, Secret, PVC).

const root = path.resolve(import.meta.dirname, '../../..');
const file = (f: string) => path.join(root, 'deploy/kubernetes', f);
const kubectl = (args: string[]) => spawnSync('kubectl', args, { encoding: 'utf8', timeout: 60_000 });
const probe = kubectl(['version', '--client']);
const skip = probe.error ? `kubectl not installed (${(probe.error as NodeJS.ErrnoException).code ?? probe.error.message}): only the shape check (manifests.test.ts) ran` : null;
if (skip) console.log(`deploy/kubectl: skipped: ${skip}`);

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** The paths of `want` that `got` lacks or holds with another value. */
function lost(want: Json, got: Json, at = ''): string[] {
  if (want !== null && typeof want === 'object') {
    if (got === null || typeof got !== 'object' || Array.isArray(want) !== Array.isArray(got)) return [`${at || '/'}: ${JSON.stringify(got)}`];
    const g = got as Record<string, Json>;
    return Object.entries(want).flatMap(([k, v]) => lost(v, g[k] ?? null, `${at}/${k}`));
  }
  return want === got ? [] : [`${at}: ${JSON.stringify(want)} came back as ${JSON.stringify(got)}`];
}

describe.skipIf(skip !== null)('deploy/kubernetes through kubectl (offline)', () => {
  for (const f of ['sweep-job.yaml', 'merge-job.yaml']) {
    it(`${f}: decoded into the Job type and back, with every field and value kept`, () => {
      const r = kubectl(['set', 'env', '--local', '-f', file(f), 'MINESWEEP_KUBECTL_CHECK=1', '-o', 'json']);
      expect([r.status, r.stderr]).toEqual([0, '']);
      const back = JSON.parse(r.stdout) as { [k: string]: Json };
      const [want] = parseAllDocuments(readFileSync(file(f), 'utf8')).map((d) => d.toJS() as Json);
      expect(lost(want!, back)).toEqual([]);
    });
  }

  it('every document of every file has an apiVersion and kind kubectl knows', () => {
    const r = kubectl(['label', '--local', '-f', path.join(root, 'deploy/kubernetes'), 'minesweep-check=1', '-o', 'name']);
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(r.stdout.trim().split('\n').sort()).toEqual(['configmap/minesweep-inventory', 'job.batch/minesweep-merge', 'job.batch/minesweep-sweep', 'persistentvolumeclaim/minesweep-runs', 'secret/minesweep-ssh']);
  });
});
