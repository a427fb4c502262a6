// A resolved inventory: hosts with their merged variables (Ansible precedence) and groups.

export type Vars = Record<string, unknown>;

export interface InventoryHost {
  name: string;
  /** every group the host is in, 'all' included, parents included */
  groups: string[];
  /** merged variables, host > child group > parent group > all */
  vars: Vars;
}

export interface Inventory {
  /** the files it was read from */
  sources: string[];
  hosts: Map<string, InventoryHost>;
  /** group name -> direct children groups, hosts and vars */
  groups: Map<string, { children: string[]; hosts: string[]; vars: Vars }>;
}

/** A host ready to connect to: connection variables resolved from vars and ~/.ssh/config. */
export interface Target {
  name: string;
  address: string;
  port: number;
  user: string;
  groups: string[];
  vars: Vars;
  privateKeyFile?: string;
  /** every identity file the connection tries, in order (the controller's own keys) */
  identityFiles?: string[];
  password?: string;
  /** jump hosts, outermost first, as user@host:port */
  proxyJump?: string[];
  /** the ProxyCommand run as the connection's socket, tokens expanded */
  proxyCommand?: string;
  become: boolean;
  becomeUser: string;
  becomePassword?: string;
  hostKeyChecking: 'strict' | 'accept-new' | 'off';
}
