import { steps } from '../actions/types.js';
import { Raw, sh } from '../core/quote.js';
import { defineModule } from '../playbook/module-types.js';

// wait: on the host, wait until a TCP port is listening (or closed), a path exists (or is
// gone), or simply a number of seconds — polling once a second up to `timeout`. It changes
// nothing: its status is ok (failed when the timeout is reached).

type Args = { port?: number; path?: string; state?: 'started' | 'stopped' | 'present' | 'absent'; timeout?: number; delay?: number; seconds?: number };

/** sh condition: true when something listens on TCP `port` (ss, else /proc/net/tcp*). */
export function listeningTest(port: number): string {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  return `{ if command -v ss >/dev/null 2>&1; then ss -Hltn 2>/dev/null | awk '{print $4}' | grep -q ':${port}$'; else cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | awk '$4 == "0A" {print $2}' | grep -q ':${hex}$'; fi; }`;
}

export const module = defineModule<Args>({
  name: 'wait',
  description: 'wait for a port, a path or some seconds on the host (changes nothing)',
  options: {
    port: { type: 'number', description: 'TCP port to wait for (listening: state started; closed: stopped)' },
    path: { type: 'string', description: 'path to wait for (present) or to disappear (absent)' },
    state: { type: 'string', choices: ['started', 'stopped', 'present', 'absent'], description: 'started/present (default) or stopped/absent' },
    timeout: { type: 'number', description: 'give up after this many seconds (default 60)' },
    delay: { type: 'number', description: 'seconds to sleep before the first check' },
    seconds: { type: 'number', description: 'just sleep this many seconds' },
  },
  validate(a) {
    const n = [a.port, a.path, a.seconds].filter((x) => x !== undefined).length;
    if (n !== 1) return [{ message: 'give exactly one of port, path and seconds', expected: 'port: 6379 | path: /run/x.pid | seconds: 5', got: n ? 'several' : 'none', fix: 'keep one of them' }];
    if (a.port !== undefined && (!Number.isInteger(a.port) || a.port < 1 || a.port > 65535)) return [{ option: 'port', message: 'port out of range', expected: '1..65535', got: String(a.port), fix: 'use a TCP port number' }];
    return [];
  },
  plan(a, ctx) {
    const timeout = Math.max(1, Math.floor(a.timeout ?? 60));
    const delay = Math.max(0, Math.floor(a.delay ?? 0));
    if (a.seconds !== undefined) return steps({ description: `sleep ${a.seconds}s`, command: sh`sleep ${Math.max(0, a.seconds)}`, become: false });
    const gone = a.state === 'stopped' || a.state === 'absent';
    const test = a.port !== undefined ? listeningTest(a.port) : sh`[ -e ${a.path!} ]`;
    const what = a.port !== undefined ? `port ${a.port} ${gone ? 'closed' : 'listening'}` : `${a.path} ${gone ? 'gone' : 'present'}`;
    const cond = gone ? `! ${test}` : test;
    return steps({
      description: `wait up to ${timeout}s for ${what}`,
      command: sh`sleep ${delay}; i=0; while [ "$i" -lt ${timeout} ]; do if ${new Raw(cond)}; then exit 0; fi; i=$((i+1)); sleep 1; done; echo ${`timed out after ${timeout}s waiting for ${what}`} >&2; exit 1`,
      become: ctx.become,
    });
  },
  stepStatus: (_s, r) => (r.code === 0 && !r.timedOut ? 'ok' : 'failed'),
  checkStatus: () => 'ok',
});
