import type { ReactionTotals } from './protocol';

/** The default reaction set (docs/protocol.md, `react`); the stage's own set comes in `joined`. */
export const DEFAULT_REACTIONS = ['👏', '❤️', '😂', '😮', '👍', '🤔'];

/**
 * A stage's reaction totals. `reactions` pushes carry a version; one whose version is not greater
 * than the last applied (a late push, or the `joined` snapshot again) is dropped.
 */
export class ReactionCounts {
  version = -1;
  totals: Record<string, number> = {};

  /** Returns whether the totals were applied. */
  apply(update: ReactionTotals): boolean {
    if (update.version <= this.version) return false;
    this.version = update.version;
    this.totals = { ...update.totals };
    return true;
  }

  total(): number {
    return Object.values(this.totals).reduce((sum, n) => sum + n, 0);
  }
}

export interface Burst {
  emoji: string;
  /** When to start it, after the push arrived (spread over the push's window). */
  delayMs: number;
  /** Horizontal start, 0…1 of the burst area. */
  x: number;
  /** Sideways drift while rising, −1…1. */
  drift: number;
  /** Size factor, 0.8…1.3. */
  scale: number;
}

export interface BurstOptions {
  /** At most this many particles per emoji per push. */
  maxPerEmoji?: number;
  /** At most this many particles per push in all. */
  maxTotal?: number;
  /** Particles are spread over at most this long. */
  maxSpreadMs?: number;
  random?: () => number;
}

/** How many particles `count` reactions become: one each up to 6, then growing with the logarithm. */
export function particleCount(count: number, maxPerEmoji = 12): number {
  if (count <= 0) return 0;
  const n = count <= 6 ? count : Math.round(6 + 3 * Math.log2(count / 6));
  return Math.min(n, maxPerEmoji);
}

/**
 * Turns a push's `recent` counts into animated particles for an overlay: a few reactions show one
 * by one, hundreds become a bounded burst (so a stream never stutters), spread over the time
 * window they arrived in. Emoji outside the stage's set are ignored.
 */
export function planBursts(recent: Record<string, number>, windowMs: number, allowed: readonly string[], options: BurstOptions = {}): Burst[] {
  const random = options.random ?? Math.random;
  const maxTotal = options.maxTotal ?? 40;
  const spread = Math.max(0, Math.min(windowMs || 0, options.maxSpreadMs ?? 1000));
  const wanted = Object.entries(recent)
    .filter(([emoji, count]) => allowed.includes(emoji) && count > 0)
    .map(([emoji, count]) => ({ emoji, n: particleCount(count, options.maxPerEmoji) }));
  const sum = wanted.reduce((s, w) => s + w.n, 0);
  const factor = sum > maxTotal ? maxTotal / sum : 1;
  const bursts: Burst[] = [];
  for (const { emoji, n } of wanted) {
    const scaled = Math.max(1, Math.floor(n * factor));
    for (let i = 0; i < scaled; i++) {
      bursts.push({
        emoji,
        delayMs: Math.round(random() * spread),
        x: random(),
        drift: random() * 2 - 1,
        scale: 0.8 + random() * 0.5,
      });
    }
  }
  return bursts.sort((a, b) => a.delayMs - b.delayMs).slice(0, maxTotal);
}

/**
 * Reaction activity for the moderator: what arrived in the last minute, per emoji, summed from the
 * pushes' `recent` counts (each kept with its arrival time and dropped after the window).
 */
export class ReactionActivity {
  private readonly log: Array<{ at: number; recent: Record<string, number> }> = [];

  constructor(
    private readonly windowMs = 60_000,
    private readonly now: () => number = () => Date.now(),
  ) {}

  add(recent: Record<string, number>): void {
    this.log.push({ at: this.now(), recent: { ...recent } });
    this.prune();
  }

  /** Per emoji, what arrived within the window. */
  recent(): Record<string, number> {
    this.prune();
    const sums: Record<string, number> = {};
    for (const { recent } of this.log) {
      for (const [emoji, n] of Object.entries(recent)) sums[emoji] = (sums[emoji] ?? 0) + n;
    }
    return sums;
  }

  private prune(): void {
    const cutoff = this.now() - this.windowMs;
    while (this.log.length && this.log[0].at <= cutoff) this.log.shift();
  }
}

/** Names of the default emoji for screen readers and tooltips, per language. */
export const REACTION_NAMES: Record<'de' | 'en', Record<string, string>> = {
  de: { '👏': 'Applaus', '❤️': 'Herz', '😂': 'Lachen', '😮': 'Staunen', '👍': 'Daumen hoch', '🤔': 'Nachdenklich' },
  en: { '👏': 'Applause', '❤️': 'Heart', '😂': 'Laughing', '😮': 'Surprised', '👍': 'Thumbs up', '🤔': 'Thinking' },
};
