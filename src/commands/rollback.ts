import type { Command } from 'commander';
import { notBuilt } from './not-built.js';

export function register(program: Command): void {
  notBuilt(program, 'rollback', 'Restore the files a run quarantined', 5);
}
