import { describe, expect, it } from 'vitest';
import { particleCount, planBursts, ReactionActivity, ReactionCounts } from '../src/lib/reactions';

const SET = ['👏', '❤️', '😂', '😮', '👍', '🤔'];

describe('ReactionCounts', () => {
  it('drops totals whose version is not newer', () => {
    const counts = new ReactionCounts();
    expect(counts.apply({ version: 3, totals: { '👏': 3 } })).toBe(true);
    expect(counts.apply({ version: 2, totals: { '👏': 2 } })).toBe(false);
    expect(counts.apply({ version: 3, totals: { '👏': 7 } })).toBe(false);
    expect(counts.totals).toEqual({ '👏': 3 });
    expect(counts.apply({ version: 0, totals: {} })).toBe(false); // an old snapshot after a rejoin
    expect(counts.apply({ version: 4, totals: { '👏': 3, '❤️': 1 } })).toBe(true);
    expect(counts.total()).toBe(4);
  });
});

describe('bursts', () => {
  const random = () => 0.5;

  it('one particle per reaction for a few, logarithmic for many, capped', () => {
    expect([0, 1, 6, 12, 24, 96, 10_000].map((n) => particleCount(n))).toEqual([0, 1, 6, 9, 12, 12, 12]);
    expect(particleCount(1000, 20)).toBe(20);
  });

  it('spreads particles over the window and ignores emoji outside the set', () => {
    let i = 0;
    const seq = [0, 0.25, 0.5, 0.75, 0.99];
    const bursts = planBursts({ '👏': 3, '💩': 5 }, 500, SET, { random: () => seq[i++ % seq.length] });
    expect(bursts).toHaveLength(3);
    expect(bursts.every((b) => b.emoji === '👏')).toBe(true);
    expect(bursts.every((b) => b.delayMs >= 0 && b.delayMs <= 500)).toBe(true);
    expect(bursts.map((b) => b.delayMs)).toEqual([...bursts.map((b) => b.delayMs)].sort((a, b) => a - b));
  });

  it('bounds a huge burst and keeps every emoji that arrived', () => {
    const bursts = planBursts({ '👏': 5000, '❤️': 4000, '😂': 3000, '😮': 2000, '👍': 1000, '🤔': 1 }, 5000, SET, { random, maxTotal: 30 });
    expect(bursts.length).toBeLessThanOrEqual(30);
    expect(new Set(bursts.map((b) => b.emoji))).toEqual(new Set(SET));
    expect(Math.max(...bursts.map((b) => b.delayMs))).toBeLessThanOrEqual(1000); // spread over at most a second
  });

  it('nothing for an empty push', () => {
    expect(planBursts({}, 500, SET)).toEqual([]);
  });
});

describe('ReactionActivity', () => {
  it('sums what arrived within the last minute', () => {
    let now = 0;
    const activity = new ReactionActivity(60_000, () => now);
    activity.add({ '👏': 3 });
    now = 30_000;
    activity.add({ '👏': 2, '❤️': 1 });
    expect(activity.recent()).toEqual({ '👏': 5, '❤️': 1 });
    now = 60_001;
    expect(activity.recent()).toEqual({ '👏': 2, '❤️': 1 });
    now = 200_000;
    expect(activity.recent()).toEqual({});
  });
});
