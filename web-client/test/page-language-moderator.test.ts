// @vitest-environment happy-dom
// @vitest-environment-options { "url": "http://plenum.test/moderator.html?event=ev1&lang=de#token=pm_test" }
import { describe, expect, it } from 'vitest';
import { collectPageTexts, findLeftovers } from './language-patterns';
import { FakeWebSocket } from './fake-websocket';
import { loadPage, serveJoins, settle } from './page-harness';

const settings = { questionModeration: true, anonymousQuestions: true, comments: true, feedback: true };
const stages = [
  { id: 'st1', eventId: 'ev1', name: 'Main Hall', code: 'K7M2QX', settings },
  { id: 'st2', eventId: 'ev1', name: 'Other Hall', code: 'ABCDEF', settings },
];
const USER_TEXTS = ['Main Hall', 'Other Hall', 'Civic Tech Day', 'Which topic first', 'Alpha', 'Beta', 'One word for today', 'Data', 'When will it ship', 'Great talk', 'Anna', 'The wallet', 'Dr Example', 'Plenum'];

const post = (id: string, extra: Record<string, unknown>) => ({ id, stageId: 'st1', kind: 'question', displayName: null, text: 'When will it ship', state: 'published', answered: false, pinned: false, reply: null, edited: false, createdAt: '2026-12-04T10:00:00.000Z', upvotes: 2, version: 1, ...extra });

let lastJoined: (join: Record<string, unknown>, extraPosts?: unknown[]) => Record<string, unknown>;

describe('the moderator dashboard in both languages (real page entry, DOM walk)', () => {
  it('leaves no German text or label after switching to English, and no English after switching back', async () => {
    await loadPage(() => import('../src/pages/moderator'), {
      'events/ev1': { id: 'ev1', name: 'Civic Tech Day', createdAt: '2026-12-04T09:00:00Z', stages },
    });
    const now = Date.now();
    lastJoined = (join, extraPosts = []) => ({
      type: 'joined',
      id: join.id,
      role: 'moderator',
      participant: { id: 'm1', token: 'v1.m1.sig', renewed: false },
      stage: stages.find((s) => s.id === join.stageId),
      polls:
        join.stageId === 'st1'
          ? [
              {
                poll: { id: 'pl1', stageId: 'st1', kind: 'multiple', question: 'Which topic first', options: [{ id: 'a', label: 'Alpha' }, { id: 'b', label: 'Beta' }], maxSelections: 2, scale: null, state: 'open', resultsVisible: false, createdAt: '2026-12-04T09:00:00Z', openedAt: '2026-12-04T09:01:00Z', closedAt: null },
                results: { pollId: 'pl1', version: 3, voters: 3, counts: { a: 2, b: 1 }, mean: null },
              },
              {
                poll: { id: 'pl3', stageId: 'st1', kind: 'single', question: 'Which topic first', options: [{ id: 'a', label: 'Alpha' }, { id: 'b', label: 'Beta' }], maxSelections: 1, scale: null, state: 'draft', resultsVisible: false, createdAt: '2026-12-04T09:00:00Z', openedAt: null, closedAt: null },
                results: { pollId: 'pl3', version: 0, voters: 0, counts: { a: 0, b: 0 }, mean: null },
              },
            ]
          : [],
      clouds:
        join.stageId === 'st1'
          ? [
              {
                cloud: { id: 'wc1', stageId: 'st1', prompt: 'One word for today', maxEntries: 3, state: 'open', resultsVisible: true, createdAt: '2026-12-04T09:00:00Z', openedAt: '2026-12-04T09:02:00Z', closedAt: null },
                results: { cloudId: 'wc1', version: 2, contributors: 2, entries: 3, words: [{ key: 'data', text: 'Data', count: 2 }, { key: 'alpha', text: 'Alpha', count: 1 }], hidden: [{ key: 'beta', text: 'Beta', count: 1 }] },
              },
            ]
          : [],
      posts:
        join.stageId === 'st1'
          ? [...extraPosts, post('q1', { pinned: true, reply: 'Great talk', upvotes: 5 }), post('q2', { state: 'pending', displayName: 'Anna' }), post('q3', { answered: true, edited: true, originalText: 'When will it ship' }), post('c1', { kind: 'comment', text: 'Great talk' }), post('c2', { kind: 'feedback', text: 'Great talk', state: 'rejected' })]
          : [],
      reactions: { version: 1, totals: { '👏': 3, '❤️': 1 } },
      presence: { stageId: join.stageId, viewers: 12, moderators: 1, presenters: 1 },
      talks: join.stageId === 'st1' ? [{ id: 'tk1', stageId: 'st1', title: 'The wallet', speakers: 'Dr Example', startsAt: new Date(now - 60_000).toISOString(), endsAt: new Date(now + 3_600_000).toISOString() }] : [],
    });
    const ws = await serveJoins((join) => lastJoined(join));
    // A question arrives while the dashboard is open: the new-posts notice and the "new" mark show.
    ws.receive({ type: 'post', stageId: 'st1', post: post('q9', { state: 'pending' }) });
    await settle();
    expect(document.querySelector<HTMLElement>('.pending-cue')!.hidden).toBe(false);
    expect(document.querySelector('#panel-questions .moderator-posts li')).not.toBeNull();
    expect(document.querySelector('#panel-polls article[data-poll-id="pl1"]')).not.toBeNull();
    expect(document.querySelector('#panel-clouds article[data-cloud-id="wc1"]')).not.toBeNull();
    expect(document.documentElement.lang).toBe('de');
    expect(findLeftovers(collectPageTexts(document), 'en', USER_TEXTS).length).toBeGreaterThan(20);

    document.querySelector<HTMLButtonElement>('button.lang-switch')!.click();
    await settle();
    expect(document.documentElement.lang).toBe('en');
    expect(findLeftovers(collectPageTexts(document), 'en', USER_TEXTS)).toEqual([]);

    document.querySelector<HTMLButtonElement>('button.lang-switch')!.click();
    await settle();
    expect(findLeftovers(collectPageTexts(document), 'de', USER_TEXTS)).toEqual([]);
  });

  it('after a reconnect, a post that arrived waiting meanwhile is cued as new too (the rejoin snapshot)', async () => {
    window.dispatchEvent(new Event('offline'));
    await settle();
    expect(document.querySelector('.connection-banner')!.getAttribute('data-state')).toBe('offline');
    const sockets = FakeWebSocket.instances.length;
    window.dispatchEvent(new Event('online'));
    expect(FakeWebSocket.instances.length).toBe(sockets + 1);
    await serveJoins((join) => lastJoined(join, [post('q10', { state: 'pending', text: 'When will it ship' })]));
    expect(document.querySelector('.pending-cue-text')!.textContent).toBe('Neu: 2 Beiträge warten auf Freigabe (Main Hall)');
    expect(document.querySelector('#panel-questions li[data-post-id="q10"]')?.classList.contains('is-new')).toBe(true);
    // The posts known before the reconnect are not new.
    expect(document.querySelector('#panel-questions li[data-post-id="q2"]')?.classList.contains('is-new')).toBe(false);
  });
});
