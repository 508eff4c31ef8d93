import type { Poll, PollResults } from './protocol';

export interface Bar {
  /** Option id, or the rating value as a string. */
  key: string;
  label: string;
  count: number;
  /** count / voters, 0…1 (0 while nobody voted). */
  share: number;
  /** Whole percent for display. */
  percent: number;
}

/** The option keys of a poll, in display order: option ids, or "1"…"scale" for ratings. */
export function pollKeys(poll: Poll): Array<{ key: string; label: string }> {
  if (poll.kind === 'rating') {
    const scale = poll.scale ?? 5;
    return Array.from({ length: scale }, (_, i) => ({ key: String(i + 1), label: String(i + 1) }));
  }
  return (poll.options ?? []).map((o) => ({ key: o.id, label: o.label }));
}

/**
 * One bar per option with its share of the voters, rounded to whole percents on its own: equal
 * counts always show equal percents (a total of 99 % or 101 % is the lesser surprise). For
 * multiple choice the shares are per voter and add up to more than 100 %.
 */
export function resultBars(poll: Poll, results: PollResults | null): Bar[] {
  const voters = results?.voters ?? 0;
  return pollKeys(poll).map(({ key, label }) => {
    const count = Math.max(0, results?.counts[key] ?? 0);
    const share = voters > 0 ? Math.min(1, count / voters) : 0;
    return { key, label, count, share, percent: Math.round(share * 100) };
  });
}

/** The option(s) with the most votes, for short announcements; empty while nobody voted. */
export function leaders(bars: readonly Bar[]): Bar[] {
  const max = Math.max(0, ...bars.map((b) => b.count));
  return max > 0 ? bars.filter((b) => b.count === max) : [];
}
