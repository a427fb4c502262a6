// ssh command-line words (from ansible_ssh_args / _common_args / _extra_args, -u, the
// private key…) as OpenSSH reads them: every flag becomes the ssh_config directive it sets,
// in order (the first value obtained wins), `-F` names the config file (the last one wins).
// Flags that make ssh do something other than connect are refused by name.

export interface SshWords {
  /** -F FILE (last one wins); 'none' = no config file at all */
  configFile?: string;
  /** -o and the flags' directives, in command-line order */
  options: Array<{ key: string; args: string[] }>;
  /** flags minesweep cannot take, with why */
  refused: string[];
  /** -v count */
  verbose: number;
}

const NO_VALUE: Record<string, [string, string] | null> = {
  '4': ['addressfamily', 'inet'],
  '6': ['addressfamily', 'inet6'],
  A: ['forwardagent', 'yes'],
  a: ['forwardagent', 'no'],
  C: ['compression', 'yes'],
  g: ['gatewayports', 'yes'],
  K: ['gssapidelegatecredentials', 'yes'],
  k: ['gssapidelegatecredentials', 'no'],
  M: ['controlmaster', 'yes'],
  N: ['sessiontype', 'none'],
  n: ['stdinnull', 'yes'],
  f: ['forkafterauthentication', 'yes'],
  s: ['sessiontype', 'subsystem'],
  T: ['requesttty', 'no'],
  t: ['requesttty', 'yes'],
  X: ['forwardx11', 'yes'],
  x: ['forwardx11', 'no'],
  Y: ['forwardx11trusted', 'yes'],
  q: ['loglevel', 'quiet'],
  v: null,
};

const WITH_VALUE: Record<string, string | null> = {
  b: 'bindaddress',
  B: 'bindinterface',
  c: 'ciphers',
  D: 'dynamicforward',
  E: null, // log file: minesweep writes no ssh log
  e: 'escapechar',
  I: 'pkcs11provider',
  i: 'identityfile',
  J: 'proxyjump',
  L: 'localforward',
  l: 'user',
  m: 'macs',
  P: 'tag',
  p: 'port',
  R: 'remoteforward',
  S: 'controlpath',
  w: 'tunneldevice',
};

const NOT_CONNECTING: Record<string, string> = {
  G: 'prints the configuration instead of connecting',
  V: 'prints the version instead of connecting',
  Q: 'queries algorithms instead of connecting',
  O: 'controls a master connection instead of connecting',
  W: 'forwards stdio instead of running commands',
};

/** Directives whose value is a command line, kept as written (ssh does not split or unquote it). */
export const COMMAND_DIRECTIVES = new Set(['proxycommand', 'localcommand', 'remotecommand', 'knownhostscommand']);

/** The arguments of a config line: a command kept whole, else split as ssh splits them. */
export function directiveArgs(key: string, rest: string): string[] {
  const r = rest.trim();
  if (r === '') return [];
  return COMMAND_DIRECTIVES.has(key) ? [r] : configArgs(r);
}

/** `-o Key=Value` / `-o 'Key Value'` → directive and its words. */
export function optionWords(text: string): { key: string; args: string[] } | undefined {
  const m = /^\s*([A-Za-z0-9]+)\s*(?:=\s*|\s+)([\s\S]*)$/.exec(text);
  if (!m) return undefined;
  const key = m[1]!.toLowerCase();
  return { key, args: directiveArgs(key, m[2]!) };
}

/** Split the arguments of a config line as OpenSSH does: "double" and 'single' quotes, \ escapes, # comment. */
export function configArgs(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: string | null = null;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quote) {
      if (c === '\\' && (s[i + 1] === quote || s[i + 1] === '\\')) cur += s[++i];
      else if (c === quote) quote = null;
      else cur += c;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < s.length) {
      cur += s[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) out.push(cur);
      cur = '';
      inWord = false;
    } else if (c === '#' && !inWord) break;
    else {
      cur += c;
      inWord = true;
    }
  }
  if (quote) throw new Error(`unterminated ${quote === '"' ? 'double' : 'single'} quote in ${JSON.stringify(s)}`);
  if (inWord) out.push(cur);
  return out;
}

/** Read ssh command-line words (already split as Ansible splits them). */
export function parseSshWords(words: string[]): SshWords {
  const out: SshWords = { options: [], refused: [], verbose: 0 };
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (!w.startsWith('-') || w.length < 2) {
      out.refused.push(`${JSON.stringify(w)}: a host or a remote command does not belong in ssh arguments`);
      continue;
    }
    for (let j = 1; j < w.length; j++) {
      const f = w[j]!;
      if (f in NOT_CONNECTING) {
        out.refused.push(`-${f}: ${NOT_CONNECTING[f]}`);
        continue;
      }
      if (f in NO_VALUE) {
        const d = NO_VALUE[f];
        if (f === 'v') out.verbose++;
        else if (d) out.options.push({ key: d[0], args: [d[1]] });
        continue;
      }
      if (f === 'o' || f === 'F' || f in WITH_VALUE) {
        const value = j + 1 < w.length ? w.slice(j + 1) : words[++i];
        if (value === undefined) {
          out.refused.push(`-${f}: the value is missing`);
          return out;
        }
        if (f === 'F') out.configFile = value;
        else if (f === 'o') {
          const o = optionWords(value);
          if (o) out.options.push(o);
          else out.refused.push(`-o ${JSON.stringify(value)}: expected Key=Value`);
        } else {
          const key = WITH_VALUE[f];
          if (key) out.options.push({ key, args: [value] });
        }
        break;
      }
      out.refused.push(`-${f}: not an ssh option minesweep knows`);
    }
  }
  return out;
}
