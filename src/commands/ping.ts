import type { Command } from 'commander';
import { notBuilt } from './not-built.js';

export function register(program: Command): void {
  notBuilt(program, 'ping', 'Check reach, auth, host key and sudo', 3);
}
