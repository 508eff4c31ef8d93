import { byPlace, compareTime } from './poll-store';
import type { CloudResults, CloudWithResults, CloudWord, WordCloud } from './protocol';
import type { SafeStorage } from './storage';

export interface CloudEntry {
  cloud: WordCloud;
  /** The newest results applied for this cloud (kept while hidden, so a reveal can't go backwards). */
  results: CloudResults | null;
}

/**
 * The word clouds of one stage as this client knows them. Like poll results, the top-words
 * snapshots are versioned per cloud: a `words` push whose version is not greater than the last
 * one applied is stale and dropped (docs/protocol.md, "cloud and words").
 */
export class StageClouds {
  private readonly entries = new Map<string, CloudEntry>();
  /** The organiser's order (`joined` lists and `order` pushes): id → place. */
  private order = new Map<string, number>();

  /** A `joined` snapshot: the complete list of clouds this session may see. */
  applySnapshot(clouds: readonly CloudWithResults[]): void {
    const seen = new Set<string>();
    for (const { cloud, results } of clouds) {
      seen.add(cloud.id);
      this.applyCloud(cloud, results);
    }
    for (const id of [...this.entries.keys()]) if (!seen.has(id)) this.entries.delete(id);
    this.setOrder([...seen]);
  }

  /** A `removed` push: forgets the cloud and its results; returns whether it was known. */
  remove(id: string): boolean {
    this.order.delete(id);
    return this.entries.delete(id);
  }

  /** An `order` push (or a snapshot): the ids in the organiser's order. */
  setOrder(ids: readonly string[]): void {
    this.order = new Map(ids.map((id, index) => [id, index]));
  }

  /** A cloud was created or changed state/visibility. */
  applyCloud(cloud: WordCloud, results: CloudResults | null): CloudEntry {
    const entry = this.entries.get(cloud.id);
    if (entry) entry.cloud = cloud;
    else this.entries.set(cloud.id, { cloud, results: null });
    if (results) this.applyResults(results);
    return this.entries.get(cloud.id)!;
  }

  /** Applies a words snapshot if it is newer than what is known; returns whether it was applied. */
  applyResults(results: CloudResults): boolean {
    const entry = this.entries.get(results.cloudId);
    if (!entry) return false;
    if (entry.results && results.version <= entry.results.version) return false;
    entry.results = results;
    return true;
  }

  get(cloudId: string): CloudEntry | undefined {
    return this.entries.get(cloudId);
  }

  /** All clouds in the organiser's order; ones the order does not name yet after them, oldest first. */
  list(): CloudEntry[] {
    return [...this.entries.values()].sort((a, b) => byPlace(this.order, a.cloud.id, b.cloud.id) || compareTime(a.cloud.createdAt, b.cloud.createdAt));
  }

  /** Words a viewer or presenter may see: only while the moderator made them visible. */
  visibleResults(cloudId: string): CloudResults | null {
    const entry = this.entries.get(cloudId);
    return entry && entry.cloud.resultsVisible ? entry.results : null;
  }
}

/**
 * The cloud a projector or overlay shows: the most recently opened open cloud; else the most
 * recently closed cloud whose words are visible; else none (the same rule as for polls).
 */
export function currentCloud(entries: readonly CloudEntry[]): CloudEntry | null {
  const latest = (list: CloudEntry[], key: (c: WordCloud) => string | null | undefined) =>
    list.sort((a, b) => compareTime(key(b.cloud) ?? b.cloud.createdAt, key(a.cloud) ?? a.cloud.createdAt))[0] ?? null;
  const open = entries.filter((e) => e.cloud.state === 'open');
  if (open.length) return latest(open, (c) => c.openedAt);
  const shown = entries.filter((e) => e.cloud.state === 'closed' && e.cloud.resultsVisible);
  return shown.length ? latest(shown, (c) => c.closedAt) : null;
}

// ---- entries as a viewer types them ----

export const MAX_ENTRY_CHARS = 40;
export const MAX_ENTRY_WORDS = 3;

export type EntryProblem = 'empty' | 'tooLong' | 'tooManyWords';

const INVISIBLE = /[\u200B\u200C\u2060\uFEFF\u00AD\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
const SURROUNDING_PUNCTUATION = /^[\p{P}\s]+|[\p{P}\s]+$/gu;

/**
 * The server's entry rules (docs/protocol.md, `word`), checked before sending so the person gets a
 * plain answer at once: cleaned like the server does, surrounding punctuation removed, 1–3 words
 * of at most 40 characters. Returns the entry as the server will show it. The server stays the
 * judge; this only saves a round trip.
 */
export function checkWordEntry(raw: string): { text: string } | { problem: EntryProblem } {
  const cleaned = raw.normalize('NFC').replace(INVISIBLE, '').replace(/\s+/gu, ' ').trim();
  const text = cleaned.replace(SURROUNDING_PUNCTUATION, '');
  if (!text) return { problem: 'empty' };
  if ([...text].length > MAX_ENTRY_CHARS) return { problem: 'tooLong' };
  if (text.split(' ').length > MAX_ENTRY_WORDS) return { problem: 'tooManyWords' };
  return { text };
}

/** A grouping key close to the server's (full case folding: ß → ss), to recognise one's own words. */
export function wordKey(text: string): string {
  return text.toUpperCase().toLowerCase().replace(/[\uFE0E\uFE0F]/g, '');
}

export interface MyEntry {
  key: string;
  text: string;
}

const MY_WORDS_KEY = 'plenum.myWords';
const MY_WORDS_LIMIT = 50;

/**
 * What this participant submitted to each cloud, so the page can say "2 of 3 used" after a
 * reload. The protocol does not send it back (joined has no per-participant entries), so it is
 * kept in this browser, per participant id, and corrected by the server's answers
 * (`already_submitted`, `too_many_entries`).
 */
export class MyWords {
  constructor(
    private readonly storage: SafeStorage,
    private participantId: string | null = null,
  ) {}

  setParticipant(id: string): void {
    this.participantId = id;
  }

  entries(cloudId: string): MyEntry[] {
    return this.read()[cloudId]?.entries ?? [];
  }

  /** How many entries the server counts for this participant (at least the ones kept here). */
  used(cloudId: string): number {
    const record = this.read()[cloudId];
    return Math.max(record?.entries.length ?? 0, record?.full ?? 0);
  }

  add(cloudId: string, entry: MyEntry): void {
    this.update(cloudId, (record) => {
      if (!record.entries.some((e) => e.key === entry.key)) record.entries.push(entry);
    });
  }

  /** The server said the participant has used all `max` entries (e.g. submitted from another tab). */
  markFull(cloudId: string, max: number): void {
    this.update(cloudId, (record) => {
      record.full = max;
    });
  }

  /** A stage reset (or deletion) cleared these clouds' entries on the server: forget them here too. */
  forget(cloudIds: Iterable<string>): void {
    if (!this.participantId) return;
    const mine = { ...this.read() };
    for (const id of cloudIds) delete mine[id];
    this.storage.set(MY_WORDS_KEY, JSON.stringify({ [this.participantId]: mine }));
  }

  private update(cloudId: string, change: (record: { entries: MyEntry[]; full?: number }) => void): void {
    if (!this.participantId) return;
    const mine = { ...this.read() };
    const record = { entries: [...(mine[cloudId]?.entries ?? [])], full: mine[cloudId]?.full };
    change(record);
    delete mine[cloudId];
    mine[cloudId] = record;
    const ids = Object.keys(mine);
    for (const old of ids.slice(0, Math.max(0, ids.length - MY_WORDS_LIMIT))) delete mine[old];
    this.storage.set(MY_WORDS_KEY, JSON.stringify({ [this.participantId]: mine }));
  }

  private read(): Record<string, { entries: MyEntry[]; full?: number }> {
    if (!this.participantId) return {};
    try {
      const all = JSON.parse(this.storage.get(MY_WORDS_KEY) ?? '{}');
      const mine = all && typeof all === 'object' ? all[this.participantId] : null;
      return mine && typeof mine === 'object' ? mine : {};
    } catch {
      return {};
    }
  }
}

// ---- the weighted-text layout ----

export interface PlacedWord extends CloudWord {
  /** 0…1: the word's weight between the least and the most frequent word shown. */
  weight: number;
  /** Font size in the caller's unit, between `minSize` and `maxSize`. */
  size: number;
  /** 0…4: a weight class for colour and font weight. */
  tier: number;
}

/** Words by count (most first), ties by text, so every screen lists them in the same order. */
export function rankWords(words: readonly CloudWord[]): CloudWord[] {
  return [...words].sort((a, b) => b.count - a.count || a.text.localeCompare(b.text) || a.key.localeCompare(b.key));
}

/**
 * Sizes for a weighted-text word cloud. The area of a word grows with its count (the size with
 * the square root), between `minSize` and `maxSize`. The order puts the largest words in the
 * middle and alternates the rest to both sides, so a centred, wrapping line layout looks like a
 * cloud yet stays real, reflowing text. Deterministic: the same words give the same layout on
 * every screen and every push (no jumping).
 */
export function layoutCloud(words: readonly CloudWord[], options: { minSize: number; maxSize: number; limit?: number }): PlacedWord[] {
  const ranked = rankWords(words).slice(0, options.limit ?? 100);
  if (ranked.length === 0) return [];
  const max = ranked[0].count;
  const min = ranked[ranked.length - 1].count;
  const placed = ranked.map((word): PlacedWord => {
    const weight = max === min ? 1 : Math.sqrt((word.count - min) / (max - min));
    const size = options.minSize + (options.maxSize - options.minSize) * (max === min ? (ranked.length === 1 ? 1 : 0.5) : weight);
    return { ...word, weight, size: Math.round(size * 100) / 100, tier: Math.min(4, Math.floor(weight * 5)) };
  });
  const left: PlacedWord[] = [];
  const right: PlacedWord[] = [];
  placed.forEach((word, index) => (index % 2 === 0 ? right : left).push(word));
  return [...left.reverse(), ...right];
}
