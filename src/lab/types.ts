// The lab's data: what `lab up` plans (pure), what it records for `lab down`, and the
// ground truth later tests compare a sweep with.

/** One thing a scenario planted, described semantically (not by rule id). */
export interface PlantedArtifact {
  kind:
    | 'process' | 'file' | 'cron-line' | 'unit' | 'preload' | 'key' | 'account' | 'renamed-binary'
    | 'immutable' | 'firewall-rule' | 'redis' | 'hosts-entry' | 'connection' | 'profile-line' | 'sudoers-line';
  path?: string;
  /** a line of a file (cron line, hosts entry, preload entry, key line) */
  line?: string;
  name?: string;
  comm?: string;
  /** full argv of a planted process */
  argv?: string[];
  sha256?: string;
  /** miner | watchdog | other, for processes */
  role?: 'miner' | 'watchdog' | 'other';
  /** where a process or connection goes: "address:port" */
  remote?: string;
  /** key comment / fingerprint */
  comment?: string;
  fingerprint?: string;
  uid?: number;
  /** renamed binary: where the original now lives */
  original?: string;
  /** immutable: attributes set, e.g. "i" */
  attrs?: string;
  /** redis: listen address, port, config path, runs as */
  listen?: string;
  port?: number;
  user?: string;
  /** true for a legitimate thing that remediation must keep */
  legitimate?: boolean;
  /** only findable through the fleet pivot (an IOC seen on another host) */
  pivotOnly?: boolean;
  note?: string;
}

export interface HostTruth {
  name: string;
  address: string;
  scenario: string;
  family: string | null;
  groups: string[];
  artifacts: PlantedArtifact[];
  expectFindings: boolean;
  /** seconds until a killed miner comes back (watchdog or cron), null when nothing respawns it soon */
  respawnSeconds: number | null;
  /** public write-ups the scenario is modelled on */
  sources?: Array<{ url: string; title: string }>;
  /** a hidden host: reachable only through the bastion */
  hidden?: boolean;
  bastion?: boolean;
}

export interface GroundTruth {
  lab: {
    dir: string;
    id: string;
    subnet: string;
    controllerAddress: string;
    poolAddress: string;
    poolPorts: number[];
    poolHttpPort: number;
    hiddenSubnet: string | null;
    bastion: string | null;
    inventory: string;
    knownHosts: string;
    sshConfig: string;
    privateKey: string;
    controllerKeyComment: string;
    createdAt: string;
  };
  hosts: HostTruth[];
  users: {
    deploy: { sudo: 'nopasswd'; key: string };
    ops: { sudo: 'password'; password: string; key: string };
  };
}

/** What `lab up` was asked for. */
export interface LabOptions {
  dir: string;
  subnet: string;
  hosts: number;
  bastion: boolean;
  hiddenHosts: number;
  /** scenario names in host order (round-robin over them); default: the standard set */
  scenarios?: string[];
}
