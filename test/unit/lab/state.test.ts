import { describe, expect, it } from 'vitest';
import { validateState } from '../../../src/lab/state.js';

describe('lab state', () => {
  it('refuses a state file that is not one', () => {
    expect(() => validateState({ version: 2 }, '/x/lab-state.json')).toThrow(/\/x\/lab-state.json: not a minesweep lab state file/);
  });
});
