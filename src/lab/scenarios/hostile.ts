import type { Scenario } from './types.js';
import { appendLine, installBinary, processArtifact, startProcess, stratum, writeFile } from './kit.js';
import { legitCron } from './clean.js';

const MINER = '/dev/shm/.x/xmrig';
/** A file name with spaces, quotes, a newline and a command substitution. Nothing may run it. */
export const HOSTILE_NAME = `/etc/cron.d/upd $(touch /tmp/pwned) 'q' "dq"\nnl`;
export const SCRIPT_TEXT = '<script>alert(1)</script>';

/** Hostile strings everywhere: file name, process argv and key comment must come back as text. */
export const hostile: Scenario = {
  name: 'hostile',
  plan: (ctx) => {
    const argv = [MINER, '--donate-level', '1', '-o', stratum(ctx.pool, 3333), '-u', SCRIPT_TEXT, '-p', `it's "quoted" $(id) \`uname\``];
    const line = `*/10 * * * * root ${MINER} -o ${stratum(ctx.pool, 3333)} >/dev/null 2>&1`;
    const comment = `${SCRIPT_TEXT} "x'y"`;
    const key = `${ctx.keys.hostile!.publicKey} ${comment}`;
    return {
      family: 'xmrig',
      plant: [
        ...legitCron.plant(),
        installBinary('xmrig', MINER),
        writeFile(HOSTILE_NAME, line + '\n'),
        appendLine('/root/.ssh/authorized_keys', key, '600'),
      ],
      start: [startProcess(argv)],
      artifacts: [
        ...legitCron.artifacts(),
        processArtifact(argv, 'xmrig', ctx.sha256('xmrig'), 'miner', `${ctx.pool}:3333`),
        { kind: 'file', path: MINER, sha256: ctx.sha256('xmrig') },
        { kind: 'connection', remote: `${ctx.pool}:3333`, comm: 'xmrig' },
        { kind: 'file', path: HOSTILE_NAME, line, note: 'hostile file name; cron ignores it (invalid name), /tmp/pwned must never appear' },
        { kind: 'key', path: '/root/.ssh/authorized_keys', line: key, comment, fingerprint: ctx.keys.hostile!.fingerprint },
      ],
      expectFindings: true,
      respawnSeconds: null,
      binaries: ['xmrig'],
    };
  },
};
