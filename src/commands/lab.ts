import type { Command } from 'commander';
import { notBuilt } from './not-built.js';

export function register(program: Command): void {
  notBuilt(program, 'lab', 'Local practice fleet of real Linux hosts (up|down|status)', 2);
}
