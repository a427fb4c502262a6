import type { Command } from 'commander';
import { notBuilt } from './not-built.js';

export function register(program: Command): void {
  notBuilt(program, 'remediate', 'Plan (or --apply) the ordered cleanup of infected hosts', 5);
}
