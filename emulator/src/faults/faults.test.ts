import { describe, expect, it } from 'vitest';
import { createFaults, FAULT_PROFILES } from './faults.ts';

describe('faults', () => {
  it('rolls the same sequence for the same seed', () => {
    const roll = (seed: number) => {
      const f = createFaults(seed);
      return Array.from({ length: 20 }, () => f.roll(0.5));
    };
    expect(roll(3)).toEqual(roll(3));
    expect(roll(3)).not.toEqual(roll(4));
  });

  it('never fires at rate 0 and always at rate 1', () => {
    const f = createFaults(1);
    expect(Array.from({ length: 50 }, () => f.roll(0)).some(Boolean)).toBe(false);
    expect(Array.from({ length: 50 }, () => f.roll(1)).every(Boolean)).toBe(true);
  });

  it('refuses out-of-range and unknown settings, and unknown profiles', () => {
    const f = createFaults(1);
    expect(() => f.set({ errorRate: 2 })).toThrow(/errorRate/);
    expect(() => f.set({ latencyMs: -1 })).toThrow(/latencyMs/);
    expect(() => f.set({ bogus: 1 } as never)).toThrow(/bogus/);
    expect(() => f.applyProfile('nope')).toThrow(/unknown fault profile/);
    expect(f.settings.errorRate).toBe(0);
  });

  it('every profile is valid', () => {
    const f = createFaults(1);
    for (const name of Object.keys(FAULT_PROFILES)) expect(() => f.applyProfile(name)).not.toThrow();
  });
});
