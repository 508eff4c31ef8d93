import type { Poll, PollResults, PollWithResults } from './protocol';

export interface PollEntry {
  poll: Poll;
  /** The newest results applied for this poll (kept while hidden, so a reveal can't go backwards). */
  results: PollResults | null;
}

/**
 * The polls of one stage as this client knows them. Results are versioned per poll: a `results`
 * whose version is not greater than the last one applied is stale (it was overtaken by a newer
 * push, or arrives again in a snapshot) and is dropped.
 */
export class StagePolls {
  private readonly entries = new Map<string, PollEntry>();
  /** The organiser's order (`joined` lists and `order` pushes): id → place. */
  private order = new Map<string, number>();

  /** A `joined` snapshot: the complete list of polls this session may see. */
  applySnapshot(polls: readonly PollWithResults[]): void {
    const seen = new Set<string>();
    for (const { poll, results } of polls) {
      seen.add(poll.id);
      this.applyPoll(poll, results);
    }
    for (const id of [...this.entries.keys()]) if (!seen.has(id)) this.entries.delete(id);
    this.setOrder([...seen]);
  }

  /** A `removed` push: forgets the poll and its results; returns whether it was known. */
  remove(id: string): boolean {
    this.order.delete(id);
    return this.entries.delete(id);
  }

  /** An `order` push (or a snapshot): the ids in the organiser's order. */
  setOrder(ids: readonly string[]): void {
    this.order = new Map(ids.map((id, index) => [id, index]));
  }

  /** A poll was created or changed state/visibility. Returns the entry after the change. */
  applyPoll(poll: Poll, results: PollResults | null): PollEntry {
    const entry = this.entries.get(poll.id);
    if (entry) {
      entry.poll = poll;
    } else {
      this.entries.set(poll.id, { poll, results: null });
    }
    if (results) this.applyResults(results);
    return this.entries.get(poll.id)!;
  }

  /** Applies results if they are newer than what is known; returns whether they were applied. */
  applyResults(results: PollResults): boolean {
    const entry = this.entries.get(results.pollId);
    if (!entry) return false;
    if (entry.results && results.version <= entry.results.version) return false;
    entry.results = results;
    return true;
  }

  get(pollId: string): PollEntry | undefined {
    return this.entries.get(pollId);
  }

  has(pollId: string): boolean {
    return this.entries.has(pollId);
  }

  /** All polls in the organiser's order; ones the order does not name yet (new) after them, oldest first. */
  list(): PollEntry[] {
    return [...this.entries.values()].sort((a, b) => byPlace(this.order, a.poll.id, b.poll.id) || compareTime(a.poll.createdAt, b.poll.createdAt));
  }

  /** Results a viewer or presenter may see: only while the moderator made them visible. */
  visibleResults(pollId: string): PollResults | null {
    const entry = this.entries.get(pollId);
    return entry && entry.poll.resultsVisible ? entry.results : null;
  }
}

/** Compares two ids by their place in `order`; an id without a place comes after every placed one. */
export function byPlace(order: ReadonlyMap<string, number>, a: string, b: string): number {
  const pa = order.get(a) ?? Number.POSITIVE_INFINITY;
  const pb = order.get(b) ?? Number.POSITIVE_INFINITY;
  return pa === pb ? 0 : pa < pb ? -1 : 1;
}

/** Compares ISO instants by time, not as text: "…:03Z" and "…:03.5Z" do not sort as strings. */
export function compareTime(a: string | null | undefined, b: string | null | undefined): number {
  const ta = a ? Date.parse(a) : Number.NEGATIVE_INFINITY;
  const tb = b ? Date.parse(b) : Number.NEGATIVE_INFINITY;
  if (ta === tb) return 0;
  return ta < tb ? -1 : 1;
}

/**
 * The poll a projector or overlay shows: the most recently opened open poll; else the most
 * recently closed poll whose results are visible; else none.
 */
export function currentPoll(entries: readonly PollEntry[]): PollEntry | null {
  const latest = (list: PollEntry[], key: (p: Poll) => string | null | undefined) =>
    list.sort((a, b) => compareTime(key(b.poll) ?? b.poll.createdAt, key(a.poll) ?? a.poll.createdAt))[0] ?? null;
  const open = entries.filter((e) => e.poll.state === 'open');
  if (open.length) return latest(open, (p) => p.openedAt);
  const shown = entries.filter((e) => e.poll.state === 'closed' && e.poll.resultsVisible);
  return shown.length ? latest(shown, (p) => p.closedAt) : null;
}
