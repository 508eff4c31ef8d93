import type { SafeStorage } from './storage';

export interface MyVote {
  choices?: string[];
  rating?: number;
}

const KEY = 'plenum.myVotes';
const LIMIT = 200;

/**
 * What this participant voted, per poll, so a reload shows "you voted" with the choice filled in.
 * Kept per participant id (a new participant starts empty) and capped in size.
 */
export class MyVotes {
  constructor(
    private readonly storage: SafeStorage,
    private participantId: string | null = null,
  ) {}

  setParticipant(id: string): void {
    this.participantId = id;
  }

  get(pollId: string): MyVote | null {
    return this.read()[pollId] ?? null;
  }

  set(pollId: string, vote: MyVote): void {
    if (!this.participantId) return;
    const all = this.readAll();
    const mine = { ...(all[this.participantId] ?? {}) };
    delete mine[pollId];
    mine[pollId] = vote;
    const ids = Object.keys(mine);
    for (const old of ids.slice(0, Math.max(0, ids.length - LIMIT))) delete mine[old];
    // Only the current participant is kept: an old token's votes are no longer ours.
    this.storage.set(KEY, JSON.stringify({ [this.participantId]: mine }));
  }

  /** A stage reset cleared these polls' votes on the server: forget them here too. */
  forget(pollIds: Iterable<string>): void {
    if (!this.participantId) return;
    const mine = { ...this.read() };
    for (const id of pollIds) delete mine[id];
    this.storage.set(KEY, JSON.stringify({ [this.participantId]: mine }));
  }

  private read(): Record<string, MyVote> {
    return (this.participantId && this.readAll()[this.participantId]) || {};
  }

  private readAll(): Record<string, Record<string, MyVote>> {
    try {
      const value = JSON.parse(this.storage.get(KEY) ?? '{}');
      return typeof value === 'object' && value !== null ? value : {};
    } catch {
      return {};
    }
  }
}
