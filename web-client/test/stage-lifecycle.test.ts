import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { StageClouds } from '../src/lib/cloud-store';
import { PlenumConnection, STAGE_DELETED, STAGE_RESET } from '../src/lib/connection';
import { StagePolls } from '../src/lib/poll-store';
import type { WordCloud } from '../src/lib/protocol';
import { applyOrder, applyRemoved } from '../src/lib/stage-lifecycle';
import { FakeWebSocket, joinedFor } from './fake-websocket';
import { poll } from './fixtures';

function cloud(id: string, extra: Partial<WordCloud> = {}): WordCloud {
  return {
    id,
    stageId: 'st1',
    prompt: `Prompt ${id}?`,
    maxEntries: 3,
    state: 'open',
    resultsVisible: true,
    createdAt: '2026-11-22T09:00:00Z',
    openedAt: null,
    closedAt: null,
    ...extra,
  } as WordCloud;
}

function connection() {
  let n = 0;
  return new PlenumConnection({ url: 'ws://test/ws', createSocket: (url) => new FakeWebSocket(url), random: () => 0.5, newActionId: () => `a-${++n}` });
}

function openAndJoin(ws = FakeWebSocket.latest(), stageFor: (join: Record<string, unknown>) => string = () => 'st1') {
  ws.open();
  for (const join of ws.sentOfType('join')) ws.receive(joinedFor(join, { stage: { id: stageFor(join), eventId: 'ev1', name: 'S', code: 'K7M2QX' } }));
  return ws;
}

describe('stores: removed and order', () => {
  it('drops a removed poll or cloud, ignores an unknown id, and names what went', () => {
    const polls = new StagePolls();
    const clouds = new StageClouds();
    polls.applySnapshot([{ poll: poll('p1'), results: null }, { poll: poll('p2'), results: null }]);
    clouds.applySnapshot([{ cloud: cloud('c1'), results: null }]);
    expect(applyRemoved({ type: 'removed', stageId: 'st1', kind: 'poll', id: 'p1' }, polls, clouds)).toEqual({ kind: 'poll', text: 'Question p1?' });
    expect(polls.list().map((e) => e.poll.id)).toEqual(['p2']);
    expect(applyRemoved({ type: 'removed', stageId: 'st1', kind: 'poll', id: 'nope' }, polls, clouds)).toBeNull();
    expect(applyRemoved({ type: 'removed', stageId: 'st1', kind: 'cloud', id: 'c1' }, polls, clouds)).toEqual({ kind: 'cloud', text: 'Prompt c1?' });
    expect(clouds.list()).toEqual([]);
    expect(applyRemoved({ type: 'removed', stageId: 'st1', kind: 'talk' as 'poll', id: 'p2' }, polls, clouds)).toBeNull();
    expect(polls.has('p2')).toBe(true);
  });

  it('lists in the organiser’s order; new ones after it, oldest first', () => {
    const polls = new StagePolls();
    const clouds = new StageClouds();
    polls.applySnapshot([
      { poll: poll('p2', { createdAt: '2026-11-22T09:02:00Z' }), results: null },
      { poll: poll('p1', { createdAt: '2026-11-22T09:01:00Z' }), results: null },
    ]);
    // The snapshot's order is the organiser's, not the creation time's.
    expect(polls.list().map((e) => e.poll.id)).toEqual(['p2', 'p1']);
    applyOrder({ type: 'order', stageId: 'st1', polls: ['p1', 'p2'], clouds: ['c2', 'c1'] }, polls, clouds);
    expect(polls.list().map((e) => e.poll.id)).toEqual(['p1', 'p2']);
    polls.applyPoll(poll('p4', { createdAt: '2026-11-22T09:04:00Z' }), null);
    polls.applyPoll(poll('p3', { createdAt: '2026-11-22T09:03:00Z' }), null);
    expect(polls.list().map((e) => e.poll.id)).toEqual(['p1', 'p2', 'p3', 'p4']);
    clouds.applyCloud(cloud('c1'), null);
    clouds.applyCloud(cloud('c2'), null);
    expect(clouds.list().map((e) => e.cloud.id)).toEqual(['c2', 'c1']);
  });
});

describe('PlenumConnection: stage deleted or reset', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeWebSocket.reset();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('passes removed and order pushes on', () => {
    const conn = connection();
    const seen: string[] = [];
    conn.on('removed', (m) => seen.push(`removed ${m.kind} ${m.id}`));
    conn.on('order', (m) => seen.push(`order ${m.polls.join(',')}`));
    conn.connect();
    void conn.join({ stageId: 'st1' });
    const ws = openAndJoin();
    ws.receive({ type: 'removed', stageId: 'st1', kind: 'poll', id: 'p1' });
    ws.receive({ type: 'order', stageId: 'st1', polls: ['p2', 'p3'], clouds: [] });
    expect(seen).toEqual(['removed poll p1', 'order p2,p3']);
  });

  it('a viewer whose stage was deleted (4404) is closed for good: no reconnect', () => {
    const conn = connection();
    const deleted: Array<string | null> = [];
    conn.on('stageDeleted', ({ stageId }) => deleted.push(stageId));
    conn.connect();
    void conn.join({ code: 'K7M2QX', role: 'viewer' });
    openAndJoin().drop(STAGE_DELETED);
    expect(conn.status).toBe('closed');
    expect(deleted).toEqual(['st1']);
    vi.advanceTimersByTime(120_000);
    expect(FakeWebSocket.instances).toHaveLength(1);
  });

  it('a moderator reconnects for the other stages; the deleted one is named when its rejoin is refused', () => {
    const conn = connection();
    const deleted: Array<string | null> = [];
    const errors: string[] = [];
    conn.on('stageDeleted', ({ stageId }) => deleted.push(stageId));
    conn.on('error', (e) => errors.push(e.code));
    conn.connect();
    void conn.join({ stageId: 'stA', role: 'moderator', auth: 't' });
    void conn.join({ stageId: 'stB', role: 'moderator', auth: 't' });
    openAndJoin(FakeWebSocket.latest(), (join) => String(join.stageId)).drop(STAGE_DELETED);
    // At once, without a backoff wait.
    expect(FakeWebSocket.instances).toHaveLength(2);
    const ws = FakeWebSocket.latest();
    ws.open();
    const [a, b] = ws.sentOfType('join');
    ws.receive(joinedFor(a, { stage: { id: 'stA', eventId: 'ev1', name: 'A', code: 'AAAAAA' } }));
    ws.receive({ type: 'error', id: b.id, code: 'unknown_stage', message: 'no such stage' });
    expect(deleted).toEqual(['stB']);
    expect(errors).toEqual([]);
    expect(conn.status).toBe('online');
  });

  it('a reset (4205) rejoins at once for a fresh snapshot, without an offline state', () => {
    const conn = connection();
    const statuses: string[] = [];
    const resets: string[][] = [];
    let joins = 0;
    conn.on('joined', () => joins++);
    conn.on('stageReset', ({ stageIds }) => resets.push(stageIds));
    conn.connect();
    void conn.join({ stageId: 'st1' });
    openAndJoin();
    conn.on('status', (s) => statuses.push(s.status));
    FakeWebSocket.latest().drop(STAGE_RESET);
    expect(FakeWebSocket.instances).toHaveLength(2);
    openAndJoin();
    expect(joins).toBe(2);
    expect(resets).toEqual([['st1']]);
    expect(statuses).toEqual(['connecting', 'online']);
  });
});
