import { randomBytes } from 'node:crypto';
import { sh } from '../core/quote.js';

// Remote command construction: the command timeout enforced ON the host, and become
// through sudo with the password fed on stdin (never argv). sudo prints a unique prompt on
// stderr when it wants the password; the command prints a unique marker on stdout once it
// runs as root, and only then is the caller's stdin (e.g. the probe script) sent.

/**
 * Cut the command after `sec` seconds, killing everything it started: `timeout -s KILL`
 * (GNU/busybox; kills the process group) when present, else a sh watchdog that stops and
 * kills the process tree found in /proc/PID/task/TID/children (no job control without a tty);
 * the watchdog polls each second, so it ends by itself at most 1 s after the command.
 */
export function withRemoteTimeout(cmd: string, sec: number): string {
  const s = Math.max(1, Math.ceil(sec));
  const killTree = 'kt() { kill -STOP $1 2>/dev/null; for t in /proc/$1/task/*/children; do cs=; read -r cs < "$t"; for c in $cs; do kt $c; done; done 2>/dev/null; kill -KILL $1 2>/dev/null; }';
  return (
    sh`if command -v timeout >/dev/null 2>&1; then exec timeout -s KILL ${s} sh -c ${cmd}; fi; ` +
    `${killTree}; exec 3<&0; ` +
    sh`sh -c ${cmd} <&3 3<&- & p=$!; exec 3<&-; (n=0; while [ $n -lt ${s} ] && kill -0 $p; do sleep 1; n=$((n+1)); done; kill -0 $p && kt $p) >/dev/null 2>&1 & wait $p`
  );
}

export interface BecomeMarkers {
  /** what sudo prints (on stderr) when it wants the password */
  prompt: string;
  /** the line printed on stdout once the command runs as the become user */
  ready: string;
}

export function newMarkers(): BecomeMarkers {
  const id = randomBytes(8).toString('hex');
  return { prompt: `[minesweep-sudo-${id}] password: `, ready: `MINESWEEP-BECOME-${id}` };
}

/** `sudo -S` around a sh command; nothing secret in it. */
export function sudoCommand(cmd: string, becomeUser: string, m: BecomeMarkers): string {
  const inner = `echo ${m.ready}; ${cmd}`;
  return sh`sudo -H -S -p ${m.prompt} -u ${becomeUser} -- sh -c ${inner}`;
}

/** The full command line sent to sshd: always run by sh, whatever the login shell. */
export function remoteCommand(cmd: string, o: { timeoutSec?: number; sudo?: { user: string; markers: BecomeMarkers } }): string {
  let c = o.timeoutSec ? withRemoteTimeout(cmd, o.timeoutSec) : cmd;
  if (o.sudo) c = sudoCommand(c, o.sudo.user, o.sudo.markers);
  return sh`exec sh -c ${c}`;
}

/** Count and remove sudo's prompts from stderr text. */
export function stripPrompts(stderr: string, prompt: string): { text: string; count: number } {
  const parts = stderr.split(prompt);
  return { text: parts.join(''), count: parts.length - 1 };
}
