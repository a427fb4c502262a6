import type { Command } from 'commander';
import { notBuilt } from './not-built.js';

export function register(program: Command): void {
  notBuilt(program, 'harden', 'Fleet-wide hardening: iptables, Redis, SSH', 6);
}
