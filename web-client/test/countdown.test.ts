import { describe, expect, it } from 'vitest';
import { formatCountdown, noteServerTime, secondsLeft, serverOffsetMs } from '../src/ui/countdown';

describe('poll countdown', () => {
  it('formats mm:ss, minutes past an hour included', () => {
    expect(formatCountdown(0)).toBe('00:00');
    expect(formatCountdown(9)).toBe('00:09');
    expect(formatCountdown(90)).toBe('01:30');
    expect(formatCountdown(86_400)).toBe('1440:00');
    expect(formatCountdown(-3)).toBe('00:00');
  });

  it('counts by the server clock: the offset from serverTime corrects a wrong device clock', () => {
    const local = Date.parse('2026-12-04T10:00:00.000Z');
    // the device is 60 s behind the server
    noteServerTime('2026-12-04T10:01:00.000Z', local);
    expect(serverOffsetMs()).toBe(60_000);
    expect(secondsLeft('2026-12-04T10:01:30.000Z', local)).toBe(30);
    expect(secondsLeft('2026-12-04T10:01:30.000Z', local + 29_800)).toBe(1);
    expect(secondsLeft('2026-12-04T10:01:30.000Z', local + 30_000)).toBe(0);
    expect(secondsLeft('2026-12-04T10:01:30.000Z', local + 99_000)).toBe(0);
  });

  it('ignores a missing or broken serverTime', () => {
    noteServerTime('2026-12-04T10:00:00.000Z', Date.parse('2026-12-04T10:00:00.000Z'));
    noteServerTime(undefined);
    noteServerTime('not a time');
    expect(serverOffsetMs()).toBe(0);
  });
});
