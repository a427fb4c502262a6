import type { HostState } from './types.js';

// Plain words for a host state (verdict after the run's actions).

const STATE_WORD: Record<HostState, string> = {
  reinfected: 'reinfected',
  infected: 'infected',
  suspicious: 'suspicious',
  exposed: 'exposed',
  cleaned: 'cleaned',
  closed: 'closed',
  unreachable: 'unreachable',
  incomplete: 'incomplete',
  clean: 'clean',
};

export const stateWord = (s: HostState): string => STATE_WORD[s] ?? String(s);
