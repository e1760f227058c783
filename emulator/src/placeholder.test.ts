import { describe, expect, it } from 'vitest';
describe('emulator package', () => {
  it('is wired into the root test run', () => {
    expect(1 + 1).toBe(2);
  });
});
