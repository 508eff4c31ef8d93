import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Announcer } from '../src/lib/announcer';

describe('Announcer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function region() {
    const writes: string[] = [];
    let text = '';
    return {
      writes,
      get textContent() {
        return text;
      },
      set textContent(value: string | null) {
        text = value ?? '';
        if (text) writes.push(text);
      },
    };
  }

  it('speaks live updates at most once per interval, with the newest text', () => {
    const r = region();
    const a = new Announcer(r, { minIntervalMs: 10_000, now: () => Date.now() });
    a.update('p1', 'v1');
    expect(r.writes).toEqual(['v1']);
    a.update('p1', 'v2');
    a.update('p1', 'v3');
    vi.advanceTimersByTime(9_999);
    expect(r.writes).toEqual(['v1']);
    vi.advanceTimersByTime(1);
    expect(r.writes).toEqual(['v1', 'v3']);
    vi.advanceTimersByTime(60_000);
    expect(r.writes).toEqual(['v1', 'v3']);
  });

  it('combines topics that changed in the same interval', () => {
    const r = region();
    const a = new Announcer(r, { minIntervalMs: 5_000, now: () => Date.now() });
    a.update('p1', 'A.');
    a.update('p1', 'A2.');
    a.update('p2', 'B.');
    vi.advanceTimersByTime(5_000);
    expect(r.writes).toEqual(['A.', 'A2. B.']);
  });

  it('says direct messages at once, and repeats a repeated text', () => {
    const r = region();
    const a = new Announcer(r, { minIntervalMs: 5_000, now: () => Date.now() });
    a.say('Counted.');
    a.say('Counted.');
    expect(r.writes).toEqual(['Counted.', 'Counted.']);
  });

  it('drops a cancelled update', () => {
    const r = region();
    const a = new Announcer(r, { minIntervalMs: 5_000, now: () => Date.now() });
    a.update('p1', 'first');
    a.update('p1', 'stale');
    a.cancel('p1');
    vi.advanceTimersByTime(5_000);
    expect(r.writes).toEqual(['first']);
  });
});
