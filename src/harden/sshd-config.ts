// Pure sshd_config editing: the settings go in one marked block at the top of the file
// (sshd keeps the first value it reads, and Include files come later), and the same keys
// elsewhere outside Match blocks are commented out. A list value gives one line per element
// (Port: [22, 2222]). Running it on its own output gives the same text (idempotent).

export type SshdSettings = Record<string, string | string[]>;

export const SSHD_DEFAULTS: SshdSettings = {
  PermitRootLogin: 'prohibit-password',
  PasswordAuthentication: 'no',
  PermitEmptyPasswords: 'no',
  KbdInteractiveAuthentication: 'no',
};

const BEGIN = '# minesweep harden begin (sshd keeps the first value; edit here, then `sshd -t` and reload)';
const END = '# minesweep harden end';

/** Why these settings cannot be written into sshd_config, or null (keys are words, values single lines). */
export function settingsProblem(settings: SshdSettings): string | null {
  for (const [k, v] of Object.entries(settings)) {
    if (!/^[A-Za-z][A-Za-z0-9]*$/.test(k)) return `sshd setting name ${JSON.stringify(k)} is not a keyword`;
    for (const x of Array.isArray(v) ? v : [v]) if (/[\n\r]/.test(String(x)) || String(x).trim() === '') return `sshd setting ${k} has an empty or multi-line value ${JSON.stringify(String(x)).slice(0, 60)}`;
  }
  return null;
}

/** The config with `settings` enforced. */
export function hardenSshdConfig(content: string, settings: SshdSettings): string {
  const keys = new Map(Object.keys(settings).map((k) => [k.toLowerCase(), k]));
  const lines = content.split('\n');
  const trailingNewline = content.endsWith('\n');
  if (trailingNewline) lines.pop();
  const out: string[] = [];
  let inBlock = false;
  let inMatch = false;
  for (const line of lines) {
    if (line.startsWith('# minesweep harden begin')) { inBlock = true; continue; }
    if (inBlock) { if (line === END) inBlock = false; continue; }
    const word = /^\s*(\S+)/.exec(line)?.[1]?.toLowerCase() ?? '';
    if (word === 'match') inMatch = true;
    if (!inMatch && keys.has(word) && !line.trimStart().startsWith('#')) out.push(`# minesweep: was: ${line}`);
    else out.push(line);
  }
  const block = [BEGIN, ...Object.entries(settings).flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => `${k} ${x}`)), END];
  return [...block, ...out].join('\n') + (trailingNewline || !lines.length ? '\n' : '');
}
