// Every ssh_config directive minesweep knows, and what it does with it (README "SSH" has the
// same table). A directive that is set for a host (differs from OpenSSH's default when the
// settings come from `ssh -G`) is honoured, ignored for the stated reason, or refused: the
// host then fails with the directive named. A directive not in this table is refused.

export type Handling = 'honoured' | 'ignored' | 'refused';

export interface Directive {
  handling: Handling;
  /** values that need nothing from minesweep even when the directive is refused */
  harmless?: string[];
  /** why (ignored / refused), or how (honoured), in a few words */
  note: string;
}

const NO = ['no', 'false', 'none', 'off'];
const honoured = (note: string): Directive => ({ handling: 'honoured', note });
const ignored = (note: string): Directive => ({ handling: 'ignored', note });
const refused = (note: string, harmless: string[] = NO): Directive => ({ handling: 'refused', note, harmless });

const INTERACTIVE = 'only affects interactive sessions; minesweep runs commands without a terminal';
const FORWARDING = 'minesweep opens no port forwarding';

export const DIRECTIVES: Record<string, Directive> = {
  host: honoured('patterns with * ? and !negation'),
  match: honoured('all, host, originalhost, user, localuser, canonical, final, tagged; exec is refused by the built-in resolver'),
  include: honoured('files and globs, relative to ~/.ssh (or /etc/ssh for the system file)'),
  hostname: honoured('the address connected to; %h'),
  user: honoured('ansible_user / -u win over it, as with Ansible'),
  port: honoured('ansible_port wins over it'),
  identityfile: honoured('tried in order; ~, ${ENV} and % tokens'),
  identitiesonly: honoured('agent keys limited to the configured identity files'),
  identityagent: honoured('agent socket path, SSH_AUTH_SOCK or none'),
  certificatefile: refused('ssh2 cannot present OpenSSH user certificates: the host fails with that reason', ['none']),
  proxyjump: honoured('chains of any length, each hop with its own config and host key'),
  proxycommand: honoured('run as the connection socket; every token value shell-quoted'),
  userknownhostsfile: honoured('checked in order; accept-new pins to the first'),
  globalknownhostsfile: honoured('checked after the user files'),
  hostkeyalias: honoured('known_hosts lookups and pins use the alias'),
  stricthostkeychecking: honoured('yes/ask = strict (never prompts), accept-new, no/off'),
  hashknownhosts: honoured('keys pinned by accept-new are written hashed'),
  checkhostip: ignored('deprecated in OpenSSH; the host key is checked under the host name'),
  updatehostkeys: ignored('minesweep never rewrites known_hosts except accept-new pins'),
  connecttimeout: honoured('when no --connect-timeout / ansible timeout is given'),
  connectionattempts: ignored('minesweep retries resets and MaxStartups drops itself'),
  serveraliveinterval: honoured('keepalive interval'),
  serveralivecountmax: honoured('missed keepalives before the host is dropped'),
  tcpkeepalive: ignored('SSH-level keepalives (ServerAliveInterval) detect dead peers'),
  kexalgorithms: honoured('the ones ssh2 implements, in the configured order; none left is refused'),
  hostkeyalgorithms: honoured('the ones ssh2 implements, known_hosts key types first; none left is refused'),
  ciphers: honoured('the ones ssh2 implements; none left is refused'),
  macs: honoured('the ones ssh2 implements; none left is refused'),
  compression: honoured('zlib@openssh.com / zlib'),
  addressfamily: honoured('inet / inet6 force the address family'),
  bindaddress: honoured('local source address'),
  bindinterface: refused('ssh2 cannot bind to an interface by name'),
  batchmode: honoured('minesweep never prompts'),
  passwordauthentication: honoured('no: ansible_password is not sent'),
  pubkeyauthentication: honoured('no: neither keys nor the agent are offered'),
  kbdinteractiveauthentication: ignored('minesweep answers no keyboard-interactive prompt'),
  challengeresponseauthentication: ignored('minesweep answers no keyboard-interactive prompt'),
  preferredauthentications: honoured('order of publickey and password'),
  numberofpasswordprompts: ignored('minesweep never prompts'),
  gssapiauthentication: ignored('ssh2 has no GSSAPI; the other methods are tried, as ssh does without a Kerberos ticket'),
  gssapidelegatecredentials: ignored('no GSSAPI in ssh2'),
  gssapikeyexchange: ignored('no GSSAPI in ssh2'),
  gssapitrustdns: ignored('no GSSAPI in ssh2'),
  gssapirenewalforcesrekey: ignored('no GSSAPI in ssh2'),
  gssapikexalgorithms: ignored('no GSSAPI in ssh2'),
  gssapiclientidentity: ignored('no GSSAPI in ssh2'),
  gssapiserveridentity: ignored('no GSSAPI in ssh2'),
  hostbasedauthentication: refused('host-based authentication is not implemented'),
  hostbasedacceptedalgorithms: ignored('host-based authentication is refused'),
  hostbasedkeytypes: ignored('host-based authentication is refused'),
  enablesshkeysign: refused('host-based authentication is not implemented'),
  pubkeyacceptedalgorithms: refused('ssh2 picks the signature algorithm itself'),
  pubkeyacceptedkeytypes: refused('ssh2 picks the signature algorithm itself'),
  casignaturealgorithms: ignored('host certificates are not accepted (plain known_hosts keys only)'),
  requiredrsasize: ignored('minesweep accepts the RSA keys OpenSSH accepts by default (>= 1024 bits)'),
  fingerprinthash: ignored('messages always show SHA256 fingerprints'),
  visualhostkey: ignored(INTERACTIVE),
  verifyhostkeydns: refused('SSHFP records are not looked up', ['no', 'false']),
  revokedhostkeys: refused('KRL files are not read (use @revoked lines in known_hosts)', ['none']),
  knownhostscommand: refused('known_hosts commands are not run', ['none']),
  nohostauthenticationforlocalhost: refused('host keys are always checked'),
  canonicalizehostname: refused('host name canonicalisation is not done', ['no', 'false']),
  canonicaldomains: ignored('only used by CanonicalizeHostname, which is refused'),
  canonicalizefallbacklocal: ignored('only used by CanonicalizeHostname, which is refused'),
  canonicalizemaxdots: ignored('only used by CanonicalizeHostname, which is refused'),
  canonicalizepermittedcnames: ignored('only used by CanonicalizeHostname, which is refused'),
  proxyusefdpass: refused('a ProxyCommand that passes a descriptor is not supported'),
  controlmaster: ignored('minesweep keeps one connection per host and shares one per jump host'),
  controlpath: ignored('minesweep keeps one connection per host and shares one per jump host'),
  controlpersist: ignored('minesweep keeps one connection per host and shares one per jump host'),
  forwardagent: ignored('never forwarded: a swept host may be compromised and would use your keys'),
  forwardx11: ignored(INTERACTIVE),
  forwardx11trusted: ignored(INTERACTIVE),
  forwardx11timeout: ignored(INTERACTIVE),
  xauthlocation: ignored(INTERACTIVE),
  requesttty: ignored('minesweep never asks for a terminal'),
  escapechar: ignored(INTERACTIVE),
  enableescapecommandline: ignored(INTERACTIVE),
  obscurekeystroketiming: ignored(INTERACTIVE),
  loglevel: ignored('minesweep has its own -v'),
  logverbose: ignored('minesweep has its own -v'),
  syslogfacility: ignored('minesweep logs nothing to syslog'),
  sendenv: ignored('no local variable is sent; remote commands set their own environment'),
  setenv: refused('remote environment variables are not set'),
  localforward: ignored(FORWARDING),
  remoteforward: ignored(FORWARDING),
  dynamicforward: ignored(FORWARDING),
  clearallforwardings: ignored(FORWARDING),
  exitonforwardfailure: ignored(FORWARDING),
  gatewayports: ignored(FORWARDING),
  permitremoteopen: ignored(FORWARDING),
  streamlocalbindmask: ignored(FORWARDING),
  streamlocalbindunlink: ignored(FORWARDING),
  tunnel: ignored(FORWARDING),
  tunneldevice: ignored(FORWARDING),
  localcommand: refused('local commands are not run', ['none']),
  permitlocalcommand: refused('local commands are not run'),
  remotecommand: ignored('minesweep sends its own commands'),
  sessiontype: ignored('minesweep opens exec sessions'),
  stdinnull: ignored('minesweep opens exec sessions'),
  forkafterauthentication: ignored('minesweep opens exec sessions'),
  addkeystoagent: ignored('keys are not added to the agent'),
  ipqos: ignored('no effect on what is run'),
  rekeylimit: refused('ssh2 rekeys on its own schedule', ['0 0', 'default none', 'none']),
  pkcs11provider: refused('PKCS#11 keys are not supported', ['none']),
  securitykeyprovider: refused('FIDO security keys are not supported', ['internal']),
  tag: honoured('for Match tagged'),
  channeltimeout: ignored('commands have their own --timeout'),
  ignoreunknown: ignored('unknown directives are refused by name'),
  usekeychain: ignored('macOS only'),
};

/** What minesweep does with `key` set to `value`: the handling, or refused when unknown. */
export function handlingOf(key: string, value: string): { handling: Handling; note: string } {
  const d = DIRECTIVES[key.toLowerCase()];
  if (!d) return { handling: 'refused', note: 'not a directive minesweep knows' };
  if (d.handling === 'refused' && d.harmless?.includes(value.trim().toLowerCase())) return { handling: 'ignored', note: d.note };
  return d;
}
