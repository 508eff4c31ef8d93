import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_BACKOFF } from '../src/lib/backoff';
import { createActionIdFactory, ACTION_ID_PATTERN } from '../src/lib/action-ids';

describe('backoffDelay', () => {
  const options = { initialMs: 500, maxMs: 30_000, factor: 2 };

  it('doubles the step with every attempt up to the ceiling', () => {
    const top = (attempt: number) => backoffDelay(attempt, options, () => 1);
    expect([0, 1, 2, 3, 4, 5, 6, 7, 20].map(top)).toEqual([500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });

  it('jitters between half and all of the step, never near zero', () => {
    expect(backoffDelay(3, options, () => 0)).toBe(2000);
    expect(backoffDelay(3, options, () => 0.5)).toBe(3000);
    expect(backoffDelay(3, options, () => 0.999999)).toBe(4000);
    for (let i = 0; i < 200; i++) {
      const d = backoffDelay(4, DEFAULT_BACKOFF);
      expect(d).toBeGreaterThanOrEqual(4000);
      expect(d).toBeLessThanOrEqual(8000);
    }
  });

  it('spreads many clients out', () => {
    const delays = new Set(Array.from({ length: 100 }, () => backoffDelay(5, DEFAULT_BACKOFF)));
    expect(delays.size).toBeGreaterThan(50);
  });
});

describe('action ids', () => {
  it('are unique, valid protocol ids, and differ between page loads', () => {
    const a = createActionIdFactory();
    const b = createActionIdFactory();
    const ids = [a(), a(), a(), b(), b()];
    expect(new Set(ids).size).toBe(5);
    for (const id of ids) expect(id).toMatch(ACTION_ID_PATTERN);
  });
});
