// What `minesweep --help` lists, without loading the commands (start-up time): each
// command's help term and one-line description. The commands take their description from
// here; a unit test checks this list against the commands' own help.

export interface CommandSummary {
  /** as the top-level help shows it: name, [options], arguments */
  term: string;
  description: string;
}

export const SUMMARIES = {
  sweep: { term: 'sweep [options]', description: 'Read-only sweep of the fleet for mining malware (exit 0 clean, 1 findings, 3 probe failed, 4 unreachable; 3 also incomplete)' },
  remediate: { term: 'remediate [options]', description: 'Plan (or --apply) the ordered cleanup of infected hosts, then verify they stay clean' },
  harden: { term: 'harden [options]', description: 'Close the holes fleet-wide: firewall, Redis, SSH (plan by default; --apply to change)' },
  run: { term: 'run [options] [playbook]', description: 'Run a playbook (check mode by default: plan and diffs; --apply to change hosts)' },
  exec: { term: 'exec [options] <command>', description: 'Run an ad hoc command on every host (output grouped per host)' },
  ping: { term: 'ping [options]', description: 'Check reach, host key, auth and sudo on every host' },
  hosts: { term: 'hosts [options]', description: 'Show how each host will be reached (resolved ssh settings), without connecting' },
  report: { term: 'report [options] [run-dir]', description: 'Re-render the report of a run, or with --incident NAME of every run of an incident (report.html and report.json)' },
  rollback: { term: 'rollback [options] <run-dir>', description: 'Undo every change a run recorded (byte-exact, with type, mode, owner, attributes, links), also after a crash' },
  iocs: { term: 'iocs [options] <run-dir>', description: 'Export the IOCs of a run as an --ioc file (YAML) for the next sweep, or as CSV or a STIX 2.1 bundle (--format csv|stix)' },
  merge: { term: 'merge [options] <run-dirs...>', description: 'Join the runs of `sweep --shard K/N` into one run: fleet pivot across shards, one report (exit as sweep; 3 when a shard is missing)' },
  lab: { term: 'lab', description: 'Local practice fleet of real Linux hosts (up|down|status|fault)' },
} as const satisfies Record<string, CommandSummary>;

/** The commands, in the order help lists them. */
export const COMMANDS = Object.keys(SUMMARIES) as Array<keyof typeof SUMMARIES>;
