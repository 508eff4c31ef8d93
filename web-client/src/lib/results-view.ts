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
  /** Ranking polls: the mean position (1 = first), null without voters. */
  meanRank?: number | null;
  /** Ranking polls: voters who put it 1st, 2nd, … */
  positions?: number[];
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
  if (poll.kind === 'ranking') return rankingBars(poll, results);
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

/**
 * A ranking poll's bars: Borda points (counts) as a share of the most an option can get
 * (voters × (n − 1)), highest first; equal points keep the options' order.
 */
export function rankingBars(poll: Poll, results: PollResults | null): Bar[] {
  const options = poll.options ?? [];
  const max = results?.ranking?.maxPoints ?? (results?.voters ?? 0) * Math.max(0, options.length - 1);
  const bars = options.map(({ id, label }) => {
    const count = Math.max(0, results?.counts[id] ?? 0);
    const share = max > 0 ? Math.min(1, count / max) : 0;
    return {
      key: id,
      label,
      count,
      share,
      percent: Math.round(share * 100),
      meanRank: results?.ranking?.meanRank[id] ?? null,
      positions: results?.ranking?.distribution[id] ?? options.map(() => 0),
    };
  });
  return bars.map((b, i) => ({ b, i })).sort((x, y) => y.b.count - x.b.count || x.i - y.i).map((x) => x.b);
}
