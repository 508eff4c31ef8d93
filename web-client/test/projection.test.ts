import { describe, expect, it } from 'vitest';
import type { CloudEntry } from '../src/lib/cloud-store';
import type { PollEntry } from '../src/lib/poll-store';
import { projection, projectorMode } from '../src/lib/projection';
import type { Post } from '../src/lib/protocol';
import { poll } from './fixtures';

const cloudEntry = (id: string, extra: Partial<CloudEntry['cloud']> = {}): CloudEntry => ({
  cloud: { id, stageId: 'st1', prompt: 'P?', maxEntries: 3, state: 'open', resultsVisible: true, createdAt: '2026-11-22T09:00:00.000Z', openedAt: '2026-11-22T09:10:00.000Z', closedAt: null, ...extra },
  results: null,
});
const pollEntry = (id: string, extra = {}): PollEntry => ({ poll: poll(id, extra), results: null });
const pinned = { id: 'q1', stageId: 'st1', kind: 'question', displayName: null, text: 'Q?', state: 'published', answered: false, pinned: true, reply: null, edited: false, createdAt: '2026-11-22T09:00:00.000Z', upvotes: 1, version: 1 } as Post;

describe('projection', () => {
  it('auto: the open thing opened last', () => {
    const view = projection([pollEntry('p', { openedAt: '2026-11-22T09:05:00.000Z' })], [cloudEntry('c')], [], 'auto');
    expect(view).toMatchObject({ kind: 'cloud', entry: { cloud: { id: 'c' } } });
    expect(projection([pollEntry('p', { openedAt: '2026-11-22T09:15:00.000Z' })], [cloudEntry('c')], [], 'auto')).toMatchObject({ kind: 'poll' });
  });

  it('auto: a pinned question beats closed results, not open ones', () => {
    const closedPoll = pollEntry('p', { state: 'closed', closedAt: '2026-11-22T09:20:00.000Z' });
    expect(projection([closedPoll], [], [pinned], 'auto')).toMatchObject({ kind: 'questions', pinned: { id: 'q1' } });
    expect(projection([closedPoll], [cloudEntry('c')], [pinned], 'auto')).toMatchObject({ kind: 'cloud' });
    expect(projection([closedPoll], [], [], 'auto')).toMatchObject({ kind: 'poll' });
    expect(projection([], [], [], 'auto')).toEqual({ kind: 'waiting' });
  });

  it('a fixed mode shows only its kind', () => {
    expect(projection([pollEntry('p')], [], [pinned], 'cloud')).toEqual({ kind: 'waiting' });
    expect(projection([pollEntry('p')], [cloudEntry('c')], [pinned], 'questions')).toMatchObject({ kind: 'questions', pinned: { id: 'q1' }, top: [] });
    expect(projection([pollEntry('p')], [cloudEntry('c')], [], 'poll')).toMatchObject({ kind: 'poll' });
    expect(projectorMode('cloud')).toBe('cloud');
    expect(projectorMode('nonsense')).toBe('auto');
    expect(projectorMode(null)).toBe('auto');
  });
});
