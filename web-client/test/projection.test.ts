import { describe, expect, it } from 'vitest';
import type { CloudEntry } from '../src/lib/cloud-store';
import type { PollEntry } from '../src/lib/poll-store';
import { overlayFollows, presentedProjection, projection, projectorMode } from '../src/lib/projection';
import type { Post, Presentation, PresentationKind } from '../src/lib/protocol';
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

const present = (kind: PresentationKind, target: string | null = null): Presentation => ({ kind, target, since: kind === 'auto' ? null : '2026-11-22T09:30:00.000Z' });
const question = (id: string, extra: Partial<Post> = {}) => ({ ...pinned, id, pinned: false, ...extra }) as Post;

describe('presentedProjection (present this)', () => {
  const polls = [pollEntry('p1', { state: 'closed', closedAt: '2026-11-22T09:20:00.000Z' }), pollEntry('p2', { openedAt: '2026-11-22T09:25:00.000Z' })];
  const clouds = [cloudEntry('c1', { state: 'closed', closedAt: '2026-11-22T09:21:00.000Z' })];
  const posts = [pinned, question('q2', { upvotes: 5 }), question('q3', { state: 'pending' })];

  it('auto, none and unknown kinds keep the automatic choice, with the page mode as fallback', () => {
    expect(presentedProjection(polls, clouds, posts, present('auto'), 'auto')).toMatchObject({ kind: 'poll', entry: { poll: { id: 'p2' } } });
    expect(presentedProjection(polls, clouds, posts, null, 'auto')).toMatchObject({ kind: 'poll', entry: { poll: { id: 'p2' } } });
    expect(presentedProjection(polls, clouds, posts, undefined, 'cloud')).toMatchObject({ kind: 'cloud', entry: { cloud: { id: 'c1' } } });
    expect(presentedProjection(polls, clouds, posts, present('auto'), 'questions')).toMatchObject({ kind: 'questions', pinned: { id: 'q1' } });
    expect(presentedProjection(polls, clouds, posts, { kind: 'hologram', target: null, since: null } as unknown as Presentation, 'auto')).toMatchObject({ kind: 'poll' });
    expect(presentedProjection(polls, clouds, posts, present('leaderboard'), 'auto')).toEqual({ kind: 'leaderboard' });
  });

  it('nothing is a blank screen whatever is open', () => {
    expect(presentedProjection(polls, clouds, posts, present('nothing'), 'auto')).toEqual({ kind: 'blank' });
    expect(presentedProjection(polls, clouds, posts, present('nothing'), 'poll')).toEqual({ kind: 'blank' });
  });

  it('a chosen poll, its results or a cloud beat what auto would show', () => {
    expect(presentedProjection(polls, clouds, posts, present('poll', 'p1'), 'auto')).toMatchObject({ kind: 'poll', entry: { poll: { id: 'p1' } } });
    expect(presentedProjection(polls, clouds, posts, present('results', 'p1'), 'cloud')).toMatchObject({ kind: 'poll', entry: { poll: { id: 'p1' } } });
    expect(presentedProjection(polls, clouds, posts, present('cloud', 'c1'), 'auto')).toMatchObject({ kind: 'cloud', entry: { cloud: { id: 'c1' } } });
  });

  it('a chosen question shows alone; the questions show pinned and top', () => {
    expect(presentedProjection(polls, clouds, posts, present('question', 'q2'), 'auto')).toMatchObject({ kind: 'question', post: { id: 'q2' } });
    expect(presentedProjection(polls, clouds, posts, present('questions'), 'poll')).toMatchObject({ kind: 'questions', pinned: { id: 'q1' }, top: [{ id: 'q2' }] });
  });

  it('waits while the chosen item is unknown, a draft or not a published question', () => {
    expect(presentedProjection(polls, clouds, posts, present('poll', 'nope'), 'auto')).toEqual({ kind: 'waiting' });
    expect(presentedProjection([pollEntry('d', { state: 'draft' })], clouds, posts, present('results', 'd'), 'auto')).toEqual({ kind: 'waiting' });
    expect(presentedProjection(polls, [cloudEntry('cd', { state: 'draft' })], posts, present('cloud', 'cd'), 'auto')).toEqual({ kind: 'waiting' });
    expect(presentedProjection(polls, clouds, posts, present('question', 'q3'), 'auto')).toEqual({ kind: 'waiting' });
    expect(presentedProjection(polls, clouds, [{ ...pinned, kind: 'comment' } as Post], present('question', 'q1'), 'auto')).toEqual({ kind: 'waiting' });
  });

  it('the overlay keeps its blocks under auto only', () => {
    expect(overlayFollows(null)).toBe('blocks');
    expect(overlayFollows(present('auto'))).toBe('blocks');
    expect(overlayFollows(present('nothing'))).toBe('blank');
    for (const kind of ['poll', 'results', 'cloud', 'question', 'questions', 'leaderboard'] as const) expect(overlayFollows(present(kind, 'x'))).toBe('presented');
  });
});
