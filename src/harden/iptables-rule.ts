// Pure reading of `iptables -S` lines: tokens (double-quoted comments kept whole) and the
// few fields hardening looks at.

/** Split an iptables -S line into argv tokens. */
export function tokenize(rule: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(rule))) out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]!);
  return out;
}

export interface RuleInfo {
  /** "-A" rules only */
  chain: string;
  /** the tokens after "-A CHAIN" */
  spec: string[];
  source: string | null;
  inInterface: string | null;
  target: string | null;
  ports: number[];
  comment: string | null;
}

function opt(tokens: string[], ...names: string[]): string | null {
  for (let i = 0; i < tokens.length - 1; i++) if (names.includes(tokens[i]!) && tokens[i - 1] !== '!') return tokens[i + 1]!;
  return null;
}

/** Parse one -A rule; null for policies, chain declarations and anything else. */
export function parseRule(line: string): RuleInfo | null {
  const t = tokenize(line.trim());
  if (t[0] !== '-A' || !t[1]) return null;
  const spec = t.slice(2);
  const ports: number[] = [];
  const dport = opt(spec, '--dport', '--destination-port');
  const dports = opt(spec, '--dports', '--destination-ports');
  for (const p of [dport, dports].filter((x): x is string => !!x).flatMap((x) => x.split(','))) {
    const [a, b] = p.split(':').map(Number);
    if (a === undefined || !Number.isInteger(a)) continue;
    if (b !== undefined && Number.isInteger(b)) for (let i = a; i <= b && i - a < 70000; i++) ports.push(i);
    else ports.push(a);
  }
  return { chain: t[1], spec, source: opt(spec, '-s', '--source'), inInterface: opt(spec, '-i', '--in-interface'), target: opt(spec, '-j', '--jump'), ports, comment: opt(spec, '--comment') };
}

/** True when the rule accepts these ports from anywhere (no source, or 0.0.0.0/0). */
export function opensToWorld(r: RuleInfo, ports: number[]): number[] {
  if (r.chain !== 'INPUT' || r.target !== 'ACCEPT') return [];
  if (r.source && r.source !== '0.0.0.0/0') return [];
  if (r.inInterface === 'lo') return [];
  return r.ports.filter((p) => ports.includes(p));
}
