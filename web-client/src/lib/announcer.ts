export interface LiveRegion {
  textContent: string | null;
}

export interface AnnouncerOptions {
  /** Throttled announcements (live results) are spoken at most this often. */
  minIntervalMs?: number;
  now?: () => number;
}

/**
 * Speaks through one polite live region. `say` is for things the person caused or must know now
 * (vote counted, poll opened); `update` is for live numbers: it keeps only the newest text per
 * topic and speaks at most once per interval, so a screen reader is not flooded on every tick.
 */
export class Announcer {
  private readonly minIntervalMs: number;
  private readonly now: () => number;
  private lastUpdateAt = Number.NEGATIVE_INFINITY;
  private readonly queued = new Map<string, string>();
  private timer?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly region: LiveRegion,
    options: AnnouncerOptions = {},
  ) {
    this.minIntervalMs = options.minIntervalMs ?? 10_000;
    this.now = options.now ?? (() => Date.now());
  }

  say(text: string): void {
    this.write(text);
  }

  update(topic: string, text: string): void {
    this.queued.set(topic, text);
    const wait = this.lastUpdateAt + this.minIntervalMs - this.now();
    if (wait <= 0) {
      this.flush();
    } else if (this.timer === undefined) {
      this.timer = setTimeout(() => this.flush(), wait);
    }
  }

  /** Drops a queued update (for example when the poll it describes is no longer shown). */
  cancel(topic: string): void {
    this.queued.delete(topic);
  }

  /**
   * Forgets what was said and what waits (after a language switch: those texts are in the old
   * language, and a screen reader that reads the region later would meet them).
   */
  reset(): void {
    this.dispose();
    this.region.textContent = '';
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.queued.clear();
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.queued.size === 0) return;
    const text = [...this.queued.values()].join(' ');
    this.queued.clear();
    this.lastUpdateAt = this.now();
    this.write(text);
  }

  private write(text: string): void {
    // Writing the same text twice is not announced again by every screen reader: clear first.
    if (this.region.textContent === text) this.region.textContent = '';
    this.region.textContent = text;
  }
}
