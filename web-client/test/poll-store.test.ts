import { describe, expect, it } from 'vitest';
import { currentPoll, StagePolls } from '../src/lib/poll-store';
import { poll, results } from './fixtures';

describe('StagePolls — version ordering per poll', () => {
  it('applies newer results and drops older or equal versions', () => {
    const store = new StagePolls();
    store.applySnapshot([{ poll: poll('p1'), results: results('p1', 3, { a: 2, b: 1 }) }]);
    expect(store.applyResults(results('p1', 5, { a: 3, b: 2 }))).toBe(true);
    expect(store.applyResults(results('p1', 4, { a: 3, b: 1 }))).toBe(false); // overtaken
    expect(store.applyResults(results('p1', 5, { a: 9, b: 9 }))).toBe(false); // same version again
    expect(store.get('p1')!.results).toMatchObject({ version: 5, counts: { a: 3, b: 2 } });
  });

  it('keeps versions per poll, not per stage', () => {
    const store = new StagePolls();
    store.applySnapshot([
      { poll: poll('p1'), results: results('p1', 100, { a: 1, b: 0 }) },
      { poll: poll('p2'), results: results('p2', 2, { a: 0, b: 1 }) },
    ]);
    expect(store.applyResults(results('p2', 3, { a: 1, b: 1 }))).toBe(true);
    expect(store.applyResults(results('p1', 99, { a: 0, b: 0 }))).toBe(false);
  });

  it('does not let a stale snapshot after a reconnect undo newer pushes', () => {
    const store = new StagePolls();
    store.applySnapshot([{ poll: poll('p1'), results: results('p1', 1, { a: 1, b: 0 }) }]);
    store.applyResults(results('p1', 7, { a: 4, b: 3 }));
    store.applySnapshot([{ poll: poll('p1', { state: 'closed' }), results: results('p1', 6, { a: 4, b: 2 }) }]);
    expect(store.get('p1')!.poll.state).toBe('closed');
    expect(store.get('p1')!.results!.version).toBe(7);
  });

  it('removes polls that a new snapshot no longer lists', () => {
    const store = new StagePolls();
    store.applySnapshot([
      { poll: poll('p1'), results: null },
      { poll: poll('p2'), results: null },
    ]);
    store.applySnapshot([{ poll: poll('p2'), results: null }]);
    expect(store.list().map((e) => e.poll.id)).toEqual(['p2']);
  });

  it('ignores results for a poll it does not know', () => {
    expect(new StagePolls().applyResults(results('nope', 1, {}))).toBe(false);
  });

  it('keeps the last results while they are hidden, shows them only when visible', () => {
    const store = new StagePolls();
    store.applyPoll(poll('p1'), results('p1', 4, { a: 1, b: 3 }));
    store.applyPoll(poll('p1', { resultsVisible: false }), null);
    expect(store.visibleResults('p1')).toBeNull();
    expect(store.get('p1')!.results!.version).toBe(4);
    store.applyPoll(poll('p1', { resultsVisible: true }), results('p1', 4, { a: 1, b: 3 }));
    expect(store.visibleResults('p1')).toMatchObject({ version: 4 });
  });

  it('orders by time, also when one timestamp has no fraction of a second', () => {
    const store = new StagePolls();
    store.applyPoll(poll('second', { createdAt: '2026-11-22T10:00:03.5Z' }), null);
    store.applyPoll(poll('first', { createdAt: '2026-11-22T10:00:03Z' }), null);
    store.applyPoll(poll('third', { createdAt: '2026-11-22T10:00:03.900000001Z' }), null);
    expect(store.list().map((e) => e.poll.id)).toEqual(['first', 'second', 'third']);
  });

  it('lists polls in creation order', () => {
    const store = new StagePolls();
    store.applyPoll(poll('late', { createdAt: '2026-11-22T10:00:00Z' }), null);
    store.applyPoll(poll('early', { createdAt: '2026-11-22T08:00:00Z' }), null);
    expect(store.list().map((e) => e.poll.id)).toEqual(['early', 'late']);
  });
});

describe('currentPoll', () => {
  it('prefers the most recently opened open poll', () => {
    const store = new StagePolls();
    store.applyPoll(poll('old', { openedAt: '2026-11-22T09:00:00Z' }), null);
    store.applyPoll(poll('new', { openedAt: '2026-11-22T09:30:00Z' }), null);
    store.applyPoll(poll('closed', { state: 'closed', closedAt: '2026-11-22T09:40:00Z' }), null);
    expect(currentPoll(store.list())!.poll.id).toBe('new');
  });

  it('falls back to the most recently closed poll with visible results', () => {
    const store = new StagePolls();
    store.applyPoll(poll('a', { state: 'closed', closedAt: '2026-11-22T09:00:00Z' }), null);
    store.applyPoll(poll('b', { state: 'closed', closedAt: '2026-11-22T09:10:00Z' }), null);
    store.applyPoll(poll('hidden', { state: 'closed', resultsVisible: false, closedAt: '2026-11-22T09:20:00Z' }), null);
    expect(currentPoll(store.list())!.poll.id).toBe('b');
  });

  it('is null when nothing can be shown', () => {
    const store = new StagePolls();
    store.applyPoll(poll('hidden', { state: 'closed', resultsVisible: false }), null);
    expect(currentPoll(store.list())).toBeNull();
  });
});
