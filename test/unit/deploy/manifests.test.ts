import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { parseShardSpec } from '../../../src/inventory/shard.js';

// deploy/: the shapes Kubernetes and GitHub Actions need, checked without a cluster (no
// kubectl here): Indexed Job, N everywhere the same, mounts that match volumes, secrets
// mounted owner-only, the merge reading where the shards write, the Dockerfile shipping
// what the CLI reads at run time.

const root = path.resolve(import.meta.dirname, '../../..');
const read = (f: string) => readFileSync(path.join(root, f), 'utf8');
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const docs = (f: string): Obj[] => parseAllDocuments(read(f)).map((d) => d.toJS() as Obj);
const job = (f: string) => {
  const [j] = docs(f);
  expect(j).toMatchObject({ apiVersion: 'batch/v1', kind: 'Job' });
  return j!;
};
const shellOf = (c: Obj): string => [...(c.command ?? []), ...(c.args ?? [])].join(' ');

/** every mount names a volume and every volume is mounted; secrets 0400/0600 and read-only. */
function checkVolumes(spec: Obj): void {
  const volumes = new Map((spec.volumes as Obj[]).map((v) => [v.name as string, v]));
  const mounted = new Set<string>();
  for (const c of spec.containers as Obj[])
    for (const m of c.volumeMounts as Obj[]) {
      const v = volumes.get(m.name);
      expect(v, `${c.name} mounts ${m.name}`).toBeDefined();
      mounted.add(m.name);
      if (v!.secret) {
        expect([256, 384]).toContain(v!.secret.defaultMode);
        expect(m.readOnly).toBe(true);
      }
      if (v!.configMap) expect(m.readOnly).toBe(true);
    }
  expect([...volumes.keys()].filter((v) => !mounted.has(v))).toEqual([]);
  expect(spec.securityContext).toMatchObject({ runAsNonRoot: true });
}
const mountOf = (spec: Obj, volume: string): string => (spec.containers[0].volumeMounts as Obj[]).find((m) => m.name === volume)!.mountPath;

describe('deploy/kubernetes', () => {
  const sweep = job('deploy/kubernetes/sweep-job.yaml');
  const merge = job('deploy/kubernetes/merge-job.yaml');
  const pod = sweep.spec.template.spec;
  const cmd = shellOf(pod.containers[0]);

  it('the sweep is an Indexed Job whose completions, parallelism and --shard N agree', () => {
    expect(sweep.spec.completionMode).toBe('Indexed');
    expect(sweep.spec.completions).toBe(sweep.spec.parallelism);
    const shard = /--shard (\S+)/.exec(cmd)![1]!;
    expect(parseShardSpec(shard, undefined, { JOB_COMPLETION_INDEX: '0' }).count).toBe(sweep.spec.completions);
    expect(shard).toMatch(/^auto\//); // K from JOB_COMPLETION_INDEX
    expect(pod.restartPolicy).toBe('Never'); // podFailurePolicy needs it
    expect(sweep.spec.podFailurePolicy.rules[0]).toMatchObject({ action: 'FailJob', onExitCodes: { containerName: pod.containers[0].name, values: [2] } });
    expect(cmd).toMatch(/^\/bin\/sh -c node \/app\/dist\/cli\.js sweep /);
  });

  it('inventory from a ConfigMap, keys from a Secret (0400, read-only), run dirs on the shared volume', () => {
    checkVolumes(pod);
    const vol = (n: string) => (pod.volumes as Obj[]).find((v) => v.name === n)!;
    expect(vol('inventory').configMap.name).toBe('minesweep-inventory');
    expect(vol('ssh').secret.secretName).toBe('minesweep-ssh');
    expect(cmd).toContain(`-i ${mountOf(pod, 'inventory')}/inventory.yml`);
    expect(cmd).toContain(`--private-key ${mountOf(pod, 'ssh')}/id_ed25519`);
    expect(cmd).toContain(`--known-hosts ${mountOf(pod, 'ssh')}/known_hosts`);
    const out = /-o (\S+);/.exec(cmd)![1]!;
    expect(out.startsWith(mountOf(pod, 'runs') + '/')).toBe(true);
    const example = docs('deploy/kubernetes/secrets.example.yaml');
    expect(example.map((d) => `${d.kind}/${d.metadata.name}`)).toEqual(['ConfigMap/minesweep-inventory', 'Secret/minesweep-ssh', 'PersistentVolumeClaim/minesweep-runs']);
    expect(Object.keys(example[0]!.data)).toEqual(['inventory.yml']);
    expect(Object.keys(example[1]!.stringData).sort()).toEqual(['id_ed25519', 'known_hosts']);
    expect(vol('runs').persistentVolumeClaim.claimName).toBe(example[2]!.metadata.name);
  });

  it('the merge Job reads the shard runs the sweep writes, on the same volume and image', () => {
    const mpod = merge.spec.template.spec;
    checkVolumes(mpod);
    expect(mpod.containers[0].image).toBe(pod.containers[0].image);
    expect(mpod.volumes.find((v: Obj) => v.name === 'runs').persistentVolumeClaim.claimName).toBe(pod.volumes.find((v: Obj) => v.name === 'runs').persistentVolumeClaim.claimName);
    const out = /-o (\S+);/.exec(cmd)![1]!;
    const mcmd = shellOf(mpod.containers[0]);
    expect(mcmd).toContain(`merge ${out}/*/ -o `);
    // exit 3 (a shard missing) must fail the Job
    expect(mcmd).toMatch(/case \$code in 0\|1\) exit 0;;/);
  });

  it('the Dockerfile builds the CLI and ships what it reads at run time', () => {
    const d = read('Dockerfile');
    expect(d).toMatch(/^FROM node:20/m);
    expect(d).toContain('ENTRYPOINT ["node", "/app/dist/cli.js"]');
    for (const dir of ['src/catalogue', 'templates', 'playbooks', 'dist', 'node_modules']) expect(d).toMatch(new RegExp(`COPY --from=build /app/${dir} `));
    expect(d).toMatch(/^USER node$/m);
  });
});

describe('deploy/ci', () => {
  const wf = parse(read('deploy/ci/github-actions.yml')) as Obj;

  it('a matrix of shards whose size is the --shard N, then one merge of all of them', () => {
    const shards = wf.jobs.sweep.strategy.matrix.shard as number[];
    const step = (wf.jobs.sweep.steps as Obj[]).find((s) => /--shard/.test(s.run ?? ''))!;
    const n = Number(/--shard \$\{\{ matrix\.shard \}\}\/(\d+)/.exec(step.run)![1]);
    expect(shards).toEqual(Array.from({ length: n }, (_, k) => k));
    expect(wf.jobs.sweep.strategy['fail-fast']).toBe(false);
    expect(wf.jobs.merge.needs).toBe('sweep');
    expect((wf.jobs.merge.steps as Obj[]).some((s) => /cli\.js merge shards\/\*\/ -o merged/.test(s.run ?? ''))).toBe(true);
    expect(read('deploy/ci/github-actions.yml')).toMatch(/install -m 0600 \/dev\/null ~\/\.ssh\/id_ed25519/);
  });
});
