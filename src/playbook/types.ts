import type { SourcePos } from './errors.js';
import type { Expr } from './when.js';

// A parsed, validated playbook: plain data with the source position of everything a
// later error may need to point at.

export interface WhenClause {
  src: string;
  expr: Expr;
  pos: SourcePos;
}

export interface Task {
  name: string;
  module: string;
  /** options as written (strings not yet templated) */
  args: Record<string, unknown>;
  /** position of the task, of the module key, and of each option */
  pos: SourcePos;
  modulePos: SourcePos;
  argPos: Record<string, SourcePos>;
  /** all must hold (a list in YAML is and-ed) */
  when: WhenClause[];
  changedWhen: WhenClause[];
  failedWhen: WhenClause[];
  tags: string[];
  register?: string;
  ignoreErrors: boolean;
  timeoutSec?: number;
  /** undefined: the play's */
  become?: boolean;
  vars: Record<string, unknown>;
  /** `check_mode: false`: run even without --apply (read-only commands whose output later tasks need) */
  checkMode?: boolean;
}

export interface Play {
  name: string;
  /** host pattern (Ansible syntax) */
  hosts: string;
  vars: Record<string, unknown>;
  become: boolean;
  tags: string[];
  tasks: Task[];
  pos: SourcePos;
}

export interface Playbook {
  file: string;
  /** directory of the file: relative `src` paths resolve here, then in templates/ */
  dir: string;
  plays: Play[];
}
