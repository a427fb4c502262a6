import type { Ioc } from '../findings/types.js';
import { inWritableLocation } from './paths.js';

// Indicators inside free text (argv, cron lines, ExecStart): URLs, their hosts, addresses,
// dropped paths. Only specific things: never a bare directory like /tmp.

const URL_RE = /\b(?:https?|ftp|tcp|stratum(?:2)?\+(?:tcp|ssl|tls|udp)):\/\/[^\s'"|;&<>()`\\]+/gi;
const IP_RE = /(?<![0-9.])(\d{1,3}(?:\.\d{1,3}){3})(?![0-9.])/g;
const PATH_RE = /(?:^|[\s'"=;|&(:])(\/[^\s'"|;&<>()`]+)/g;
// -o host:port / --url host:port as miners take them
const POOL_ARG_RE = /(?:^|\s)(?:-o|--url|--url=|-url)\s*=?\s*([a-z0-9.-]+\.[a-z]{2,}|\d{1,3}(?:\.\d{1,3}){3}):(\d{2,5})/gi;

// Monero: a 95-character standard address (4 or 8, then 0-9/A/B) or a 106-character integrated one (4), base58
const MONERO_RE = /(?<![0-9A-Za-z])(?:[48][0-9AB][1-9A-HJ-NP-Za-km-z]{93}|4[0-9AB][1-9A-HJ-NP-Za-km-z]{104})(?![0-9A-Za-z])/g;
// a miner's -u / --user / "user": value; a wallet when long and alphanumeric (not an email, not a short worker name)
const USER_ARG_RE = /(?:(?:^|\s)(?:-u|--user)(?:\s+|=)|"user"\s*:\s*")([^\s"',]+)/g;
const WALLET_LIKE = /^[0-9A-Za-z]{40,110}(?:[.+][\w-]{1,32})?$/;

// big shared hosting: the exact URL is an indicator, the whole domain is not
const SHARED_DOMAINS = ['github.com', 'githubusercontent.com', 'gitlab.com', 'bitbucket.org', 'amazonaws.com', 'googleapis.com', 'cloudfront.net', 'debian.org', 'ubuntu.com'];

export function isUsableIp(ip: string): boolean {
  const o = ip.split('.').map(Number);
  if (o.length !== 4 || o.some((x) => x > 255)) return false;
  return !(o[0] === 127 || o[0] === 0 || o[0]! >= 224 || (o[0] === 169 && o[1] === 254));
}

export function hostOfUrl(url: string): string | null {
  const m = /^[a-z0-9+.-]+:\/\/(?:[^@/]*@)?(\[[^\]]+\]|[^:/?#]+)/i.exec(url);
  return m ? m[1]!.toLowerCase() : null;
}

function addHost(out: Ioc[], host: string): void {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(host)) {
    if (isUsableIp(host)) out.push({ type: 'ip', value: host });
  } else if (host.includes('.') && !SHARED_DOMAINS.some((d) => host === d || host.endsWith(`.${d}`))) out.push({ type: 'domain', value: host });
}

/** Indicators in a line of text, de-duplicated. */
export function extractIocs(text: string): Ioc[] {
  const out: Ioc[] = [];
  for (const m of text.matchAll(URL_RE)) {
    const url = m[0].replace(/[.,]+$/, '');
    out.push({ type: 'url', value: url });
    const host = hostOfUrl(url);
    if (host) addHost(out, host);
  }
  for (const m of text.matchAll(POOL_ARG_RE)) addHost(out, m[1]!.toLowerCase());
  for (const m of text.matchAll(IP_RE)) if (isUsableIp(m[1]!)) out.push({ type: 'ip', value: m[1]! });
  for (const m of text.matchAll(PATH_RE)) {
    const p = m[1]!.replace(/[.,]+$/, '');
    if (!p.startsWith('//') && inWritableLocation(p) && !p.endsWith('/') && p.split('/').length > 2) out.push({ type: 'path', value: p });
  }
  for (const m of text.matchAll(MONERO_RE)) out.push({ type: 'wallet', value: m[0] });
  for (const m of text.matchAll(USER_ARG_RE)) {
    const login = m[1]!.split(/[.+]/)[0]!;
    if (WALLET_LIKE.test(m[1]!) && !/^[a-z]+$/i.test(login) && /\d/.test(login)) out.push({ type: 'wallet', value: login });
  }
  return dedupeIocs(out);
}

export function dedupeIocs(iocs: Ioc[]): Ioc[] {
  const seen = new Set<string>();
  return iocs.filter((i) => {
    const k = `${i.type}\0${i.value}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
