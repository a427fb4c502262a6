// Pure sshd_config editing: the settings go in one marked block at the top of the file
// (sshd keeps the first value it reads, and Include files come later), and the same keys
// elsewhere outside Match blocks are commented out. Running it on its own output gives
// the same text (idempotent).

export const SSHD_DEFAULTS: Record<string, string> = {
  PermitRootLogin: 'prohibit-password',
  PasswordAuthentication: 'no',
  PermitEmptyPasswords: 'no',
  KbdInteractiveAuthentication: 'no',
};

const BEGIN = '# minesweep harden begin (sshd keeps the first value; edit here, then `sshd -t` and reload)';
const END = '# minesweep harden end';

/** The config with `settings` enforced. */
export function hardenSshdConfig(content: string, settings: Record<string, string>): string {
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
  const block = [BEGIN, ...Object.entries(settings).map(([k, v]) => `${k} ${v}`), END];
  return [...block, ...out].join('\n') + (trailingNewline || !lines.length ? '\n' : '');
}
