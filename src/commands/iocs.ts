import type { Command } from 'commander';
import { notBuilt } from './not-built.js';

export function register(program: Command): void {
  notBuilt(program, 'iocs', 'Export the IOCs of a run as an --ioc file', 4);
}
