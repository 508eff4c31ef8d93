// @vitest-environment happy-dom
// @vitest-environment-options { "url": "http://plenum.test/projector.html?stage=st1&lang=en" }
import { describe, expect, it } from 'vitest';
import { collectPageTexts, findLeftovers } from './language-patterns';
import { loadPage, serveJoins, settle } from './page-harness';

const stage = { id: 'st1', eventId: 'ev1', name: 'Main Hall', code: 'K7M2QX' };
const USER_TEXTS = ['Main Hall', 'Which topic first', 'Alpha', 'Beta', 'When will it ship', 'The wallet', 'Dr Example', 'Plenum', 'K7M2QX'];

describe('the projector in English (real page entry, DOM walk)', () => {
  it('shows no German text or label', async () => {
    await loadPage(() => import('../src/pages/projector'), {});
    const now = Date.now();
    await serveJoins((join) => ({
      type: 'joined',
      id: join.id,
      role: 'presenter',
      participant: { id: 'pr1', token: 'v1.pr1.sig', renewed: true },
      stage,
      polls: [
        {
          poll: { id: 'pl1', stageId: 'st1', kind: 'single', question: 'Which topic first', options: [{ id: 'a', label: 'Alpha' }, { id: 'b', label: 'Beta' }], maxSelections: 1, scale: null, state: 'open', resultsVisible: true, createdAt: '2026-12-04T09:00:00Z', openedAt: '2026-12-04T09:01:00Z', closedAt: null },
          results: { pollId: 'pl1', version: 3, voters: 3, counts: { a: 2, b: 1 }, mean: null },
        },
      ],
      posts: [{ id: 'q1', stageId: 'st1', kind: 'question', displayName: null, text: 'When will it ship', state: 'published', answered: false, pinned: true, reply: null, edited: false, createdAt: '2026-12-04T10:00:00.000Z', upvotes: 2, version: 1 }],
      reactions: { version: 1, totals: {} },
      talks: [{ id: 'tk1', stageId: 'st1', title: 'The wallet', speakers: 'Dr Example', startsAt: new Date(now - 60_000).toISOString(), endsAt: new Date(now + 3_600_000).toISOString() }],
    }));
    await settle(10);
    expect(document.documentElement.lang).toBe('en');
    expect(document.body.textContent).toContain('Which topic first');
    expect(findLeftovers(collectPageTexts(document), 'en', USER_TEXTS)).toEqual([]);
  });
});
