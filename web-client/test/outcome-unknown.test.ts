import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PlenumConnection } from '../src/lib/connection';
import { FakeWebSocket, joinedFor } from './fake-websocket';

function connection() {
  let n = 0;
  return new PlenumConnection({
    url: 'ws://test/ws',
    createSocket: (url) => new FakeWebSocket(url),
    random: () => 0.5,
    newActionId: () => `a-${++n}`,
    backoff: { initialMs: 1000, maxMs: 30_000, factor: 2 },
  });
}

function openAndJoin(ws = FakeWebSocket.latest()) {
  ws.open();
  for (const join of ws.sentOfType('join')) ws.receive(joinedFor(join));
  return ws;
}

describe('outcome_unknown (the server cannot tell whether the action was applied)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeWebSocket.reset();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('resends the vote with the same id after backoff and resolves with the ack of the resend', async () => {
    const conn = connection();
    const retries: unknown[] = [];
    conn.on('retry', (r) => retries.push(r));
    conn.connect();
    void conn.join({ stageId: 'st1' });
    const ws = openAndJoin();
    const vote = conn.send({ type: 'vote', pollId: 'pl1', choices: ['a'] });
    ws.receive({ type: 'error', id: vote.id, code: 'outcome_unknown', message: 'may or may not have been applied' });
    expect(retries).toEqual([{ id: vote.id, code: 'outcome_unknown', retryInMs: 750 }]);
    expect(conn.pendingCount).toBe(1);
    vi.advanceTimersByTime(749);
    expect(ws.sentOfType('vote')).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(ws.sentOfType('vote').map((m) => m.id)).toEqual([vote.id, vote.id]);
    ws.receive({ type: 'ack', id: vote.id, duplicate: true });
    await expect(vote.result).resolves.toMatchObject({ type: 'ack', duplicate: true });
    expect(conn.pendingCount).toBe(0);
  });

  it('keeps an action answered outcome_unknown across a reconnect and resends it there with the same id', () => {
    const conn = connection();
    conn.connect();
    void conn.join({ stageId: 'st1' });
    const first = openAndJoin();
    const word = conn.send({ type: 'word', cloudId: 'wc1', text: 'Souveränität' });
    first.receive({ type: 'error', id: word.id, code: 'outcome_unknown', message: 'no reply from the store' });
    first.drop(1001);
    vi.advanceTimersByTime(30_000);
    const second = openAndJoin(FakeWebSocket.latest());
    expect(second).not.toBe(first);
    vi.advanceTimersByTime(30_000);
    expect(second.sentOfType('word').map((m) => m.id)).toContain(word.id);
    expect(conn.pendingCount).toBe(1);
  });
});
