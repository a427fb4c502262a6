import type { Command } from 'commander';
import { notBuilt } from './not-built.js';

export function register(program: Command): void {
  notBuilt(program, 'sweep', 'Read-only sweep of the fleet for mining malware', 4);
}
