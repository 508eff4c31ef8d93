// @vitest-environment happy-dom
// @vitest-environment-options { "url": "http://plenum.test/?code=K7M2QX&lang=de" }
import { describe, expect, it } from 'vitest';
import { collectPageTexts, findLeftovers } from './language-patterns';
import { loadPage, serveJoins, settle } from './page-harness';

const stage = { id: 'st1', eventId: 'ev1', name: 'Main Hall', code: 'K7M2QX', settings: { questionModeration: true, anonymousQuestions: true, comments: true, feedback: true } };
const USER_TEXTS = ['Main Hall', 'Civic Tech Day', 'Which topic first', 'Alpha', 'Beta', 'One word for today', 'Data', 'When will it ship', 'Great talk', 'Anna', 'Other Hall', 'The wallet', 'Dr Example', 'Plenum'];

const post = (id: string, extra: Record<string, unknown>) => ({ id, stageId: 'st1', kind: 'question', displayName: null, text: 'When will it ship', state: 'published', answered: false, pinned: false, reply: null, edited: false, createdAt: '2026-12-04T10:00:00.000Z', upvotes: 2, version: 1, ...extra });

describe('the viewer page in both languages (real page entry, DOM walk)', () => {
  it('leaves no German text or label after switching to English, and no English after switching back', async () => {
    await loadPage(() => import('../src/pages/viewer'), {
      'events/ev1': { id: 'ev1', name: 'Civic Tech Day', createdAt: '2026-12-04T09:00:00Z', stages: [stage, { ...stage, id: 'st2', name: 'Other Hall', code: 'ABCDEF' }] },
    });
    const now = Date.now();
    const ws = await serveJoins((join) => ({
      type: 'joined',
      id: join.id,
      role: 'viewer',
      participant: { id: 'p1', token: 'v1.p1.sig', renewed: true },
      stage,
      polls: [
        {
          poll: { id: 'pl1', stageId: 'st1', kind: 'single', question: 'Which topic first', options: [{ id: 'a', label: 'Alpha' }, { id: 'b', label: 'Beta' }], maxSelections: 1, scale: null, state: 'open', resultsVisible: true, createdAt: '2026-12-04T09:00:00Z', openedAt: '2026-12-04T09:01:00Z', closedAt: null },
          results: { pollId: 'pl1', version: 3, voters: 3, counts: { a: 2, b: 1 }, mean: null },
        },
        {
          poll: { id: 'pl2', stageId: 'st1', kind: 'rating', question: 'Which topic first', options: [], maxSelections: 1, scale: { min: 1, max: 5, minLabel: null, maxLabel: null }, state: 'closed', resultsVisible: true, createdAt: '2026-12-04T08:00:00Z', openedAt: '2026-12-04T08:01:00Z', closedAt: '2026-12-04T08:30:00Z' },
          results: { pollId: 'pl2', version: 3, voters: 4, counts: { '4': 2, '5': 2 }, mean: 4.5 },
        },
      ],
      clouds: [
        {
          cloud: { id: 'wc1', stageId: 'st1', prompt: 'One word for today', maxEntries: 3, state: 'open', resultsVisible: true, createdAt: '2026-12-04T09:00:00Z', openedAt: '2026-12-04T09:02:00Z', closedAt: null },
          results: { cloudId: 'wc1', version: 2, contributors: 2, entries: 2, words: [{ key: 'data', text: 'Data', count: 2 }], hidden: [] },
        },
      ],
      posts: [
        post('q1', { pinned: true, reply: 'Great talk', upvotes: 5 }),
        post('q2', { state: 'pending', mine: true, displayName: 'Anna' }),
        post('q3', { answered: true }),
        post('c1', { kind: 'comment', text: 'Great talk' }),
        post('c2', { kind: 'feedback', text: 'Great talk', mine: true, state: 'rejected' }),
      ],
      upvoted: ['q1'],
      reactions: { version: 1, totals: { '👏': 3 } },
      talks: [{ id: 'tk1', stageId: 'st1', title: 'The wallet', speakers: 'Dr Example', startsAt: new Date(now - 60_000).toISOString(), endsAt: new Date(now + 3_600_000).toISOString() }],
    }));
    expect(document.querySelectorAll('[role=tab]')).toHaveLength(5);
    expect(document.querySelector('.poll-card')).not.toBeNull();
    expect(document.querySelector('.post-item')).not.toBeNull();
    expect(document.documentElement.lang).toBe('de');
    // Live states too: a vote counted, a word sent, then the connection lost (banner, waiting texts).
    const card = document.querySelector<HTMLElement>('article[data-poll-id="pl1"]')!;
    card.querySelector<HTMLInputElement>('input[value="a"]')!.click();
    card.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    await settle();
    const vote = ws.sentOfType('vote')[0];
    expect(vote).toMatchObject({ pollId: 'pl1', choices: ['a'] });
    ws.receive({ type: 'ack', id: vote.id, duplicate: false });
    await settle();
    // A refused reaction leaves an error text: it must follow the switch too.
    document.querySelector<HTMLButtonElement>('#reactions button.reaction-button')!.click();
    await settle();
    const react = ws.sentOfType('react')[0];
    ws.receive({ type: 'error', id: react.id, code: 'unknown_reaction', message: 'not in this stage' });
    await settle();
    expect(document.querySelector('#reactions [role=alert], #reactions .control-error')?.textContent).toMatch(/\w/);
    ws.drop();
    await settle();
    expect(document.querySelector('.connection-banner')!.getAttribute('data-state')).toBe('offline');
    // Sanity: the walk sees German now.
    expect(findLeftovers(collectPageTexts(document), 'en', USER_TEXTS).length).toBeGreaterThan(20);

    document.querySelector<HTMLButtonElement>('button.lang-switch')!.click();
    await settle();
    expect(document.documentElement.lang).toBe('en');
    expect(findLeftovers(collectPageTexts(document), 'en', USER_TEXTS)).toEqual([]);

    document.querySelector<HTMLButtonElement>('button.lang-switch')!.click();
    await settle();
    expect(document.documentElement.lang).toBe('de');
    expect(findLeftovers(collectPageTexts(document), 'de', USER_TEXTS)).toEqual([]);
  });
});
