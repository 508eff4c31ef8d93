import { describe, expect, it } from 'vitest';
import { leaders, pollKeys, resultBars } from '../src/lib/results-view';
import { poll, results } from './fixtures';

describe('resultBars', () => {
  it('gives every option its count and share of the voters', () => {
    const bars = resultBars(poll('p'), results('p', 1, { a: 250, b: 140 }));
    expect(bars).toEqual([
      { key: 'a', label: 'Ja', count: 250, share: 250 / 390, percent: 64 },
      { key: 'b', label: 'Nein', count: 140, share: 140 / 390, percent: 36 },
    ]);
  });

  it('shows zeros, not NaN, while nobody voted or results are missing', () => {
    expect(resultBars(poll('p'), results('p', 0, { a: 0, b: 0 })).map((b) => [b.share, b.percent])).toEqual([
      [0, 0],
      [0, 0],
    ]);
    expect(resultBars(poll('p'), null).map((b) => b.count)).toEqual([0, 0]);
  });

  it('shows equal percents for equal counts', () => {
    const p = poll('p', {
      kind: 'rating',
      options: undefined,
      scale: 5,
    });
    const bars = resultBars(p, { pollId: 'p', version: 1, voters: 8, counts: { '1': 0, '2': 1, '3': 1, '4': 4, '5': 2 }, mean: 3.9 });
    expect(bars.map((b) => b.percent)).toEqual([0, 13, 13, 50, 25]);
  });

  it('multiple-choice shares are per voter and may add up to more than 100', () => {
    const p = poll('p', {
      kind: 'multiple',
      maxSelections: 3,
      options: [
        { id: 'a', label: 'KI' },
        { id: 'b', label: 'Cloud' },
        { id: 'c', label: 'OZG' },
      ],
    });
    const bars = resultBars(p, results('p', 1, { a: 8, b: 5, c: 10 }, 10));
    expect(bars.map((b) => b.percent)).toEqual([80, 50, 100]);
  });

  it('rating polls have one bar per value 1…scale', () => {
    const p = poll('p', { kind: 'rating', options: undefined, scale: 5 });
    expect(pollKeys(p).map((k) => k.key)).toEqual(['1', '2', '3', '4', '5']);
    const bars = resultBars(p, { pollId: 'p', version: 77, voters: 77, counts: { '1': 2, '2': 5, '3': 20, '4': 30, '5': 20 }, mean: 3.79 });
    expect(bars.map((b) => b.count)).toEqual([2, 5, 20, 30, 20]);
    expect(pollKeys(poll('q', { kind: 'rating', options: null, scale: 10 }))).toHaveLength(10);
  });

  it('finds the leading options', () => {
    const bars = resultBars(poll('p'), results('p', 1, { a: 2, b: 2 }));
    expect(leaders(bars).map((b) => b.key)).toEqual(['a', 'b']);
    expect(leaders(resultBars(poll('p'), null))).toEqual([]);
  });
});
