// Exit codes, documented in the README.
export const EXIT = {
  ok: 0,
  /** sweep/verify: findings on at least one host; run: a task failed */
  findings: 1,
  /** bad usage, malformed inventory/playbook/IOC file */
  usage: 2,
  /** some hosts failed (remediation/hardening step failed) */
  failed: 3,
  /** some hosts unreachable */
  unreachable: 4,
  /** --apply stopped by SIGINT/SIGTERM: the running steps finished and were recorded, the rest not started */
  interrupted: 130,
  /** the command is not built yet */
  notBuilt: 70,
} as const;
