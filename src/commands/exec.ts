import type { Command } from 'commander';
import { notBuilt } from './not-built.js';

export function register(program: Command): void {
  notBuilt(program, 'exec', 'Run an ad hoc command on every host', 3);
}
