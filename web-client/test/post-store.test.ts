import { describe, expect, it } from 'vitest';
import { audienceQuestions, checkPost, projectedQuestions, queueCounts, queueList, sortPosts, StagePosts } from '../src/lib/post-store';
import type { Post } from '../src/lib/protocol';

function post(id: string, extra: Partial<Post> = {}): Post {
  return {
    id,
    stageId: 'st1',
    kind: 'question',
    displayName: null,
    text: `Question ${id}?`,
    state: 'published',
    answered: false,
    pinned: false,
    reply: null,
    edited: false,
    createdAt: '2026-11-22T09:00:00.000Z',
    upvotes: 0,
    version: 1,
    mine: false,
    ...extra,
  };
}

describe('StagePosts', () => {
  it('adds pages of older posts to the snapshot without replacing newer versions', () => {
    const store = new StagePosts('viewer');
    store.applySnapshot([post('q3', { version: 2 }), post('q4')], ['q4']);
    store.applyPage([post('q1'), post('q2', { upvotes: 5 }), post('q3', { version: 1, text: 'old' })], ['q2']);
    expect(store.all().map((p) => p.id).sort()).toEqual(['q1', 'q2', 'q3', 'q4']);
    expect(store.get('q3')?.version).toBe(2);
    expect(store.upvoted('q2')).toBe(true);
    expect(store.upvoted('q4')).toBe(true);
  });

  it('applies a post only when its version is newer', () => {
    const store = new StagePosts('viewer');
    expect(store.applyPost(post('q1', { version: 3, upvotes: 3 }))).toBe(true);
    expect(store.applyPost(post('q1', { version: 2, upvotes: 2 }))).toBe(false);
    expect(store.applyPost(post('q1', { version: 3, upvotes: 9 }))).toBe(false);
    expect(store.get('q1')!.upvotes).toBe(3);
    expect(store.applyPost(post('q1', { version: 4, upvotes: 4 }))).toBe(true);
    expect(store.get('q1')!.upvotes).toBe(4);
  });

  it('a late push cannot bring back a post that was retracted or deleted', () => {
    const store = new StagePosts('viewer');
    store.applyPost(post('q1', { version: 2 }));
    store.applyPost(post('q1', { version: 4, state: 'rejected', text: '' }));
    expect(store.get('q1')).toBeUndefined();
    expect(store.applyPost(post('q1', { version: 3 }))).toBe(false);
    expect(store.get('q1')).toBeUndefined();
    store.applyPost(post('q2', { version: 1 }));
    store.applyPost(post('q2', { version: 2, state: 'deleted', text: '' }));
    expect(store.all().map((p) => p.id)).toEqual([]);
  });

  it('viewers keep their own pending and rejected posts, nobody else’s', () => {
    const store = new StagePosts('viewer');
    store.applySnapshot([post('mine', { state: 'pending', mine: true }), post('other', { state: 'pending' }), post('pub')], ['pub']);
    expect(store.all().map((p) => p.id).sort()).toEqual(['mine', 'pub']);
    expect(store.upvoted('pub')).toBe(true);
    // Our ack named the post before any push said it is ours.
    store.markOwn('new');
    store.applyPost(post('new', { state: 'pending' }));
    expect(store.isOwn('new')).toBe(true);
    expect(store.get('new')!.state).toBe('pending');
    store.applyPost(post('mine', { state: 'rejected', mine: true, version: 2 }));
    expect(store.get('mine')!.state).toBe('rejected');
    store.applyPost(post('mine', { state: 'deleted', mine: true, version: 3, text: '' }));
    expect(store.get('mine')).toBeUndefined();
  });

  it('moderators keep every post but deleted ones', () => {
    const store = new StagePosts('moderator');
    store.applySnapshot([post('a', { state: 'pending' }), post('b', { state: 'rejected' }), post('c')]);
    expect(store.all()).toHaveLength(3);
    store.applyPost(post('a', { state: 'deleted', version: 2 }));
    expect(store.all()).toHaveLength(2);
  });

  it('a snapshot after a rejoin does not undo a newer push', () => {
    const store = new StagePosts('viewer');
    store.applySnapshot([post('q1', { version: 1 })]);
    store.applyPost(post('q1', { version: 5, upvotes: 5 }));
    store.applySnapshot([post('q1', { version: 4, upvotes: 4 })]);
    expect(store.get('q1')!.upvotes).toBe(5);
  });

  it('remembers upvotes as the person toggles them', () => {
    const store = new StagePosts('viewer');
    store.applySnapshot([post('q1')], []);
    store.setUpvoted('q1', true);
    expect(store.upvoted('q1')).toBe(true);
    store.setUpvoted('q1', false);
    expect(store.upvoted('q1')).toBe(false);
  });
});

describe('sorting', () => {
  const a = post('a', { upvotes: 5, createdAt: '2026-11-22T09:01:00.000Z' });
  const b = post('b', { upvotes: 9, createdAt: '2026-11-22T09:02:00.000Z' });
  const c = post('c', { upvotes: 5, createdAt: '2026-11-22T09:00:00.000Z' });
  const d = post('d', { upvotes: 0, createdAt: '2026-11-22T09:03:00.000Z' });

  it('by votes (equal votes: the older first) or by time (newest first)', () => {
    expect(sortPosts([a, b, c, d], 'votes').map((p) => p.id)).toEqual(['b', 'c', 'a', 'd']);
    expect(sortPosts([a, b, c, d], 'time').map((p) => p.id)).toEqual(['d', 'b', 'a', 'c']);
  });

  it('the audience sees the pinned question first and answered ones last', () => {
    const pinned = post('p', { pinned: true, upvotes: 0 });
    const answered = post('x', { answered: true, upvotes: 50 });
    expect(audienceQuestions([a, answered, b, pinned, c, d, post('cm', { kind: 'comment' })], 'votes').map((p) => p.id)).toEqual(['p', 'b', 'c', 'a', 'd', 'x']);
  });

  it('the moderator queue: tabs with counts, pending oldest first, pinned on top', () => {
    const posts = [post('p1', { state: 'pending', createdAt: '2026-11-22T09:05:00.000Z' }), post('p2', { state: 'pending', createdAt: '2026-11-22T09:01:00.000Z' }), a, b, post('pin', { pinned: true }), post('ans', { answered: true }), post('rej', { state: 'rejected' })];
    expect(queueCounts(posts)).toEqual({ pending: 2, published: 3, answered: 1, rejected: 1 });
    expect(queueList(posts, 'pending', 'votes').map((p) => p.id)).toEqual(['p2', 'p1']);
    expect(queueList(posts, 'published', 'votes').map((p) => p.id)).toEqual(['pin', 'b', 'a']);
    expect(queueList(posts, 'answered', 'time').map((p) => p.id)).toEqual(['ans']);
  });

  it('the hall screen: the pinned question and the top open ones by votes', () => {
    const pinned = post('p', { pinned: true });
    const result = projectedQuestions([a, b, c, d, pinned, post('x', { answered: true, upvotes: 99 }), post('pend', { state: 'pending', upvotes: 99 })], 2);
    expect(result.pinned?.id).toBe('p');
    expect(result.top.map((p) => p.id)).toEqual(['b', 'c']);
  });
});

describe('checkPost', () => {
  it('checks length and the name rule before sending', () => {
    expect(checkPost('  Wann kommt die Wallet?  ', '', true)).toEqual({ text: 'Wann kommt die Wallet?' });
    expect(checkPost('Frage', ' Anna ', true)).toEqual({ text: 'Frage', name: 'Anna' });
    expect(checkPost('   ', '', true)).toEqual({ problem: 'empty', field: 'text' });
    expect(checkPost('x'.repeat(501), '', true)).toEqual({ problem: 'tooLong', field: 'text' });
    expect(checkPost('😀'.repeat(500), '', true)).toEqual({ text: '😀'.repeat(500) }); // characters, not UTF-16 units
    expect(checkPost('Frage', '', false)).toEqual({ problem: 'nameRequired', field: 'name' });
    expect(checkPost('Frage', 'n'.repeat(61), true)).toEqual({ problem: 'nameTooLong', field: 'name' });
  });
});
