import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ActionError, PlenumConnection, webSocketUrl, type StatusChange } from '../src/lib/connection';
import { FakeWebSocket, joinedFor } from './fake-websocket';

function memoryTokens(initial: string | null = null) {
  let token = initial;
  return { get: () => token, set: (t: string) => void (token = t), current: () => token };
}

function connection(options: Partial<ConstructorParameters<typeof PlenumConnection>[0]> = {}) {
  let n = 0;
  return new PlenumConnection({
    url: 'ws://test/ws',
    createSocket: (url) => new FakeWebSocket(url),
    random: () => 0.5,
    newActionId: () => `a-${++n}`,
    ...options,
  });
}

/** Opens the latest socket and answers its join(s), as a server would. */
function openAndJoin(ws = FakeWebSocket.latest(), extra: Record<string, unknown> = {}) {
  ws.open();
  for (const join of ws.sentOfType('join')) ws.receive(joinedFor(join, extra));
  return ws;
}

describe('PlenumConnection', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeWebSocket.reset();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('joins on open with the stored token and stores the token it gets back', async () => {
    const tokens = memoryTokens('v1.old');
    const conn = connection({ tokenStore: tokens });
    conn.connect();
    const joined = conn.join({ code: 'K7M2QX' });
    const ws = FakeWebSocket.latest();
    expect(ws.url).toBe('ws://test/ws');
    ws.open();
    const join = ws.lastSent();
    expect(join).toMatchObject({ type: 'join', code: 'K7M2QX', token: 'v1.old' });
    expect(String(join.id)).toMatch(/^[A-Za-z0-9_\-:.]{1,64}$/);
    ws.receive(joinedFor(join, { participant: { id: 'p2', token: 'v1.new', renewed: true } }));
    await expect(joined).resolves.toMatchObject({ type: 'joined', stage: { id: 'st1' } });
    expect(tokens.current()).toBe('v1.new');
    expect(conn.status).toBe('online');
  });

  it('sends an action at once when online and resolves it with its ack', async () => {
    const conn = connection();
    conn.connect();
    void conn.join({ stageId: 'st1' });
    const ws = openAndJoin();
    const { id, result } = conn.send({ type: 'vote', pollId: 'pl1', choices: ['a'] });
    expect(ws.lastSent()).toEqual({ type: 'vote', id, pollId: 'pl1', choices: ['a'] });
    expect(conn.pendingCount).toBe(1);
    ws.receive({ type: 'ack', id, duplicate: false });
    await expect(result).resolves.toEqual({ type: 'ack', id, duplicate: false });
    expect(conn.pendingCount).toBe(0);
  });

  it('holds actions until the join is answered', () => {
    const conn = connection();
    conn.connect();
    void conn.join({ stageId: 'st1' });
    const ws = FakeWebSocket.latest();
    ws.open();
    conn.send({ type: 'vote', pollId: 'pl1', rating: 4 });
    expect(ws.sentOfType('vote')).toHaveLength(0);
    ws.receive(joinedFor(ws.sentOfType('join')[0]));
    expect(ws.sentOfType('vote')).toEqual([{ type: 'vote', id: 'a-1', pollId: 'pl1', rating: 4 }]);
  });

  it('after a lost ack: reconnects, rejoins with the token, then resends with the same id — counted once', async () => {
    const tokens = memoryTokens();
    const conn = connection({ tokenStore: tokens });
    conn.connect();
    void conn.join({ code: 'K7M2QX' });
    const first = openAndJoin();
    const { id, result } = conn.send({ type: 'vote', pollId: 'pl1', choices: ['b'] });
    expect(first.sentOfType('vote')).toHaveLength(1);

    first.drop(); // the ack never arrives
    expect(conn.status).toBe('offline');
    expect(FakeWebSocket.instances).toHaveLength(1);
    vi.advanceTimersByTime(10_000);
    const second = FakeWebSocket.latest();
    expect(second).not.toBe(first);
    second.open();
    const rejoin = second.lastSent();
    // Rejoins by stage id (learnt from the first joined) with the participant token.
    expect(rejoin).toMatchObject({ type: 'join', stageId: 'st1', token: 'v1.p1.sig' });
    expect(rejoin).not.toHaveProperty('code');
    expect(second.sentOfType('vote')).toHaveLength(0); // not before the join is answered
    second.receive(joinedFor(rejoin));
    expect(second.sentOfType('vote')).toEqual([{ type: 'vote', id, pollId: 'pl1', choices: ['b'] }]);
    second.receive({ type: 'ack', id, duplicate: true });
    await expect(result).resolves.toMatchObject({ id, duplicate: true });
    expect(conn.pendingCount).toBe(0);
  });

  it('sends actions made while offline after the reconnect, in the order they were made', () => {
    const conn = connection();
    conn.connect();
    void conn.join({ stageId: 'st1' });
    openAndJoin().drop();
    const a = conn.send({ type: 'vote', pollId: 'pl1', choices: ['a'] });
    const b = conn.send({ type: 'vote', pollId: 'pl2', rating: 3 });
    const c = conn.send({ type: 'vote', pollId: 'pl1', choices: ['b'] });
    vi.advanceTimersByTime(10_000);
    const ws = openAndJoin();
    expect(ws.sentOfType('vote').map((m) => m.id)).toEqual([a.id, b.id, c.id]);
  });

  it('backs off exponentially with jitter while the server stays away, and starts over once online', () => {
    const statuses: StatusChange[] = [];
    let r = 0;
    const randoms = [0, 1, 0.5, 0, 1];
    const conn = connection({ random: () => randoms[r++ % randoms.length], backoff: { initialMs: 1000, maxMs: 8000, factor: 2 } });
    conn.on('status', (s) => statuses.push(s));
    conn.connect();
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      FakeWebSocket.latest().drop();
      delays.push(statuses.at(-1)!.retryInMs!);
      vi.advanceTimersByTime(statuses.at(-1)!.retryInMs!);
    }
    // step = min(8000, 1000·2^n); delay = step/2 + random·step/2
    expect(delays).toEqual([500, 2000, 3000, 4000, 8000]);
    expect(statuses.filter((s) => s.status === 'offline').map((s) => s.attempt)).toEqual([1, 2, 3, 4, 5]);
    openAndJoin();
    expect(conn.status).toBe('online');
    FakeWebSocket.latest().drop();
    expect(statuses.at(-1)).toMatchObject({ status: 'offline', attempt: 1 });
  });

  it('does not reconnect before the backoff delay is over, unless asked to', () => {
    const conn = connection({ backoff: { initialMs: 4000, maxMs: 4000, factor: 2 } });
    conn.connect();
    FakeWebSocket.latest().drop();
    vi.advanceTimersByTime(2999); // delay = 2000 + 0.5·2000 = 3000
    expect(FakeWebSocket.instances).toHaveLength(1);
    conn.reconnectNow();
    expect(FakeWebSocket.instances).toHaveLength(2);
    vi.advanceTimersByTime(10);
    expect(FakeWebSocket.instances).toHaveLength(2);
  });

  it('resends after rate_limited with the same id once retryAfterMs has passed', () => {
    const conn = connection();
    conn.connect();
    void conn.join({ stageId: 'st1' });
    const ws = openAndJoin();
    const { id } = conn.send({ type: 'vote', pollId: 'pl1', choices: ['a'] });
    ws.receive({ type: 'error', id, code: 'rate_limited', message: 'slow down', retryAfterMs: 400 });
    vi.advanceTimersByTime(399);
    expect(ws.sentOfType('vote')).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(ws.sentOfType('vote').map((m) => m.id)).toEqual([id, id]);
    expect(conn.pendingCount).toBe(1);
  });

  it('retries unavailable with backoff and the same id', () => {
    const conn = connection({ backoff: { initialMs: 1000, maxMs: 30_000, factor: 2 } });
    conn.connect();
    void conn.join({ stageId: 'st1' });
    const ws = openAndJoin();
    const { id } = conn.send({ type: 'vote', pollId: 'pl1', choices: ['a'] });
    ws.receive({ type: 'error', id, code: 'unavailable', message: 'engine down' });
    vi.advanceTimersByTime(750);
    expect(ws.sentOfType('vote').map((m) => m.id)).toEqual([id, id]);
  });

  it('rejects an action on a final error and forgets it', async () => {
    const conn = connection();
    conn.connect();
    void conn.join({ stageId: 'st1' });
    const ws = openAndJoin();
    const { id, result } = conn.send({ type: 'vote', pollId: 'pl1', choices: ['a'] });
    ws.receive({ type: 'error', id, code: 'poll_not_open', message: 'closed' });
    await expect(result).rejects.toBeInstanceOf(ActionError);
    await expect(result).rejects.toMatchObject({ code: 'poll_not_open', actionId: id });
    expect(conn.pendingCount).toBe(0);
    ws.drop();
    vi.advanceTimersByTime(10_000);
    openAndJoin();
    expect(FakeWebSocket.latest().sentOfType('vote')).toHaveLength(0);
  });

  it('rejects the join for an unknown stage code', async () => {
    const conn = connection();
    conn.connect();
    const joined = conn.join({ code: 'ZZZZZZ' });
    const ws = FakeWebSocket.latest();
    ws.open();
    ws.receive({ type: 'error', id: ws.lastSent().id, code: 'unknown_stage', message: 'no such stage' });
    await expect(joined).rejects.toMatchObject({ code: 'unknown_stage' });
  });

  it('treats a socket that never answers an action as dead and reconnects', () => {
    const conn = connection({ ackTimeoutMs: 5000 });
    conn.connect();
    void conn.join({ stageId: 'st1' });
    const ws = openAndJoin();
    const { id } = conn.send({ type: 'vote', pollId: 'pl1', choices: ['a'] });
    vi.advanceTimersByTime(5000);
    expect(ws.closedWith).toMatchObject({ code: 4000 });
    expect(conn.status).toBe('offline');
    vi.advanceTimersByTime(10_000);
    const next = openAndJoin();
    expect(next.sentOfType('vote').map((m) => m.id)).toEqual([id]);
  });

  it('gives up on a socket that does not open in time', () => {
    const conn = connection({ connectTimeoutMs: 3000 });
    conn.connect();
    const ws = FakeWebSocket.latest();
    vi.advanceTimersByTime(3000);
    expect(ws.closedWith).toMatchObject({ code: 4000 });
    expect(conn.status).toBe('offline');
  });

  it('ignores messages and closes from a socket it has already replaced', () => {
    const conn = connection({ connectTimeoutMs: 3000 });
    const results: unknown[] = [];
    conn.on('results', (r) => results.push(r));
    conn.connect();
    const old = FakeWebSocket.latest();
    vi.advanceTimersByTime(3000); // timed out; the next socket comes after the backoff delay
    vi.advanceTimersByTime(1000);
    const current = FakeWebSocket.latest();
    expect(current).not.toBe(old);
    old.receive({ type: 'results', stageId: 'st1', results: { pollId: 'pl1', version: 1, voters: 0, counts: {}, mean: null } });
    old.drop();
    expect(results).toHaveLength(0);
    expect(FakeWebSocket.instances).toHaveLength(2);
  });

  it('keeps a moderator on every stage it joined, but a viewer on one', () => {
    const moderator = connection();
    moderator.connect();
    void moderator.join({ stageId: 'st1', role: 'moderator', auth: 'secret' });
    void moderator.join({ stageId: 'st2', role: 'moderator', auth: 'secret' });
    FakeWebSocket.latest().open();
    expect(FakeWebSocket.latest().sentOfType('join').map((m) => m.stageId)).toEqual(['st1', 'st2']);
    expect(FakeWebSocket.latest().sentOfType('join')[0]).toMatchObject({ role: 'moderator', auth: 'secret' });

    FakeWebSocket.reset();
    const viewer = connection();
    viewer.connect();
    void viewer.join({ stageId: 'st1' });
    void viewer.join({ stageId: 'st2' });
    FakeWebSocket.latest().open();
    expect(FakeWebSocket.latest().sentOfType('join').map((m) => m.stageId)).toEqual(['st2']);
  });

  it('passes pushes on and emits joined again after each rejoin', () => {
    const conn = connection();
    const seen: string[] = [];
    conn.on('joined', () => seen.push('joined'));
    conn.on('poll', () => seen.push('poll'));
    conn.on('results', () => seen.push('results'));
    conn.on('presence', () => seen.push('presence'));
    conn.connect();
    void conn.join({ stageId: 'st1' });
    const ws = openAndJoin();
    ws.receive({ type: 'poll', stageId: 'st1', poll: {}, results: null });
    ws.receive({ type: 'results', stageId: 'st1', results: {} });
    ws.receive({ type: 'presence', stageId: 'st1', viewers: 1, moderators: 0, presenters: 0 });
    ws.receive({ type: 'something_new', x: 1 }); // ignored: newer servers may add types
    ws.onmessage?.({ data: 'not json' });
    ws.drop();
    vi.advanceTimersByTime(10_000);
    openAndJoin();
    expect(seen).toEqual(['joined', 'poll', 'results', 'presence', 'joined']);
  });

  it('passes the issue 3 pushes on (cloud, words, post, reactions, stage)', () => {
    const conn = connection();
    const seen: string[] = [];
    for (const type of ['cloud', 'words', 'post', 'reactions', 'stage'] as const) conn.on(type, () => seen.push(type));
    conn.connect();
    void conn.join({ stageId: 'st1' });
    const ws = openAndJoin();
    ws.receive({ type: 'cloud', stageId: 'st1', cloud: {}, results: null });
    ws.receive({ type: 'words', stageId: 'st1', results: {} });
    ws.receive({ type: 'post', stageId: 'st1', post: {} });
    ws.receive({ type: 'reactions', stageId: 'st1', version: 1, totals: {}, recent: {}, windowMs: 500 });
    ws.receive({ type: 'stage', stage: {} });
    expect(seen).toEqual(['cloud', 'words', 'post', 'reactions', 'stage']);
  });

  it('resends word, post, upvote, delete and react actions after a reconnect with their ids, in order', async () => {
    const conn = connection();
    conn.connect();
    void conn.join({ stageId: 'st1' });
    const first = openAndJoin();
    const word = conn.send({ type: 'word', cloudId: 'wc1', text: 'Datenschutz' });
    const post = conn.send({ type: 'post', kind: 'question', text: 'Wann?', name: 'Anna' });
    first.drop();
    const up = conn.send({ type: 'upvote', postId: 'qa1', up: false });
    const del = conn.send({ type: 'delete', postId: 'qa2' });
    const react = conn.send({ type: 'react', emoji: '👏' });
    vi.advanceTimersByTime(10_000);
    const second = openAndJoin();
    expect(second.sent.filter((m) => m.type !== 'join')).toEqual([
      { type: 'word', id: word.id, cloudId: 'wc1', text: 'Datenschutz' },
      { type: 'post', id: post.id, kind: 'question', text: 'Wann?', name: 'Anna' },
      { type: 'upvote', id: up.id, postId: 'qa1', up: false },
      { type: 'delete', id: del.id, postId: 'qa2' },
      { type: 'react', id: react.id, emoji: '👏' },
    ]);
    second.receive({ type: 'ack', id: word.id, duplicate: true, key: 'datenschutz' });
    second.receive({ type: 'ack', id: post.id, duplicate: false, postId: 'qa9' });
    await expect(word.result).resolves.toMatchObject({ key: 'datenschutz' });
    await expect(post.result).resolves.toMatchObject({ postId: 'qa9' });
    expect(conn.pendingCount).toBe(3);
  });

  it('tells the page when an action waits for a retry, and rejects word errors as final', async () => {
    const conn = connection();
    const retries: unknown[] = [];
    conn.on('retry', (r) => retries.push(r));
    conn.connect();
    void conn.join({ stageId: 'st1' });
    const ws = openAndJoin();
    const post = conn.send({ type: 'post', kind: 'comment', text: 'Toll' });
    ws.receive({ type: 'error', id: post.id, code: 'rate_limited', message: 'slow down', retryAfterMs: 9000 });
    expect(retries).toEqual([{ id: post.id, code: 'rate_limited', retryInMs: 9000 }]);
    const word = conn.send({ type: 'word', cloudId: 'wc1', text: 'Mist' });
    ws.receive({ type: 'error', id: word.id, code: 'blocked_word', message: 'not allowed' });
    await expect(word.result).rejects.toMatchObject({ code: 'blocked_word' });
    vi.advanceTimersByTime(9000);
    expect(ws.sentOfType('post').map((m) => m.id)).toEqual([post.id, post.id]);
  });

  it('stays closed after close()', () => {
    const conn = connection();
    conn.connect();
    openAndJoin();
    conn.close();
    expect(conn.status).toBe('closed');
    vi.advanceTimersByTime(60_000);
    expect(FakeWebSocket.instances).toHaveLength(1);
  });
});

describe('webSocketUrl', () => {
  it('puts /ws next to the page and keeps TLS', () => {
    expect(webSocketUrl({ href: 'http://127.0.0.1:8080/?code=K7M2QX' })).toBe('ws://127.0.0.1:8080/ws');
    expect(webSocketUrl({ href: 'https://plenum.example.org/moderator.html?event=e#token=x' })).toBe('wss://plenum.example.org/ws');
    expect(webSocketUrl({ href: 'https://example.org/plenum/projector.html?stage=s' })).toBe('wss://example.org/plenum/ws');
  });
});

describe('PlenumConnection, older posts', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeWebSocket.reset();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('fetches older posts page by page after joined, each page after the previous one arrived', () => {
    const conn = connection();
    const pages: string[][] = [];
    conn.on('page', (page) => pages.push(page.posts.map((p) => p.id)));
    conn.connect();
    void conn.join({ stageId: 'st1' });
    const ws = openAndJoin(FakeWebSocket.latest(), { postsCursor: 'q101' });
    const first = ws.sentOfType('posts');
    expect(first).toEqual([{ type: 'posts', id: expect.any(String), stageId: 'st1', before: 'q101' }]);
    ws.receive({ type: 'page', id: first[0].id, stageId: 'st1', posts: [{ id: 'q2' }, { id: 'q3' }], postsCursor: 'q2' });
    const second = ws.sentOfType('posts');
    expect(second).toHaveLength(2);
    expect(second[1]).toMatchObject({ before: 'q2' });
    ws.receive({ type: 'page', id: second[1].id, stageId: 'st1', posts: [{ id: 'q1' }], postsCursor: null });
    expect(ws.sentOfType('posts')).toHaveLength(2);
    expect(pages).toEqual([['q2', 'q3'], ['q1']]);
  });

  it('asks for a page again after rate_limited, and not at all when joined has every post', () => {
    const conn = connection();
    conn.connect();
    void conn.join({ stageId: 'st1' });
    const ws = openAndJoin(FakeWebSocket.latest(), { postsCursor: 'q9' });
    const asked = ws.sentOfType('posts')[0];
    ws.receive({ type: 'error', id: asked.id, code: 'rate_limited', message: 'slow down', retryAfterMs: 200 });
    expect(ws.sentOfType('posts')).toHaveLength(1);
    vi.advanceTimersByTime(200);
    expect(ws.sentOfType('posts')).toHaveLength(2);
    expect(ws.sentOfType('posts')[1]).toMatchObject({ before: 'q9' });

    FakeWebSocket.reset();
    const complete = connection();
    complete.connect();
    void complete.join({ stageId: 'st1' });
    const ws2 = openAndJoin(FakeWebSocket.latest(), { postsCursor: null });
    expect(ws2.sentOfType('posts')).toHaveLength(0);
  });

  it('after a join timeout (4401) with nothing to join, waits for the next join instead of reconnecting', () => {
    const conn = connection();
    conn.connect();
    const ws = FakeWebSocket.latest();
    ws.open();
    ws.drop(4401);
    expect(conn.status).toBe('idle');
    vi.advanceTimersByTime(60_000);
    expect(FakeWebSocket.instances).toHaveLength(1);
    void conn.join({ stageId: 'st1' });
    expect(FakeWebSocket.instances).toHaveLength(2);
    FakeWebSocket.latest().open();
    expect(FakeWebSocket.latest().sentOfType('join')).toHaveLength(1);
  });
});
