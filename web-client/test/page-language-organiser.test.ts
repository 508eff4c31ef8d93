// @vitest-environment happy-dom
// @vitest-environment-options { "url": "http://plenum.test/organiser.html?event=ev1&lang=de#token=po_test" }
import { describe, expect, it } from 'vitest';
import { collectPageTexts, findLeftovers } from './language-patterns';
import { loadPage, settle } from './page-harness';

const settings = { questionModeration: true, anonymousQuestions: true, comments: true, feedback: true };
const stage = { id: 'st1', eventId: 'ev1', name: 'Main Hall', code: 'K7M2QX', settings };
const USER_TEXTS = ['Main Hall', 'Civic Tech Day', 'Which topic first', 'Alpha', 'Beta', 'One word for today', 'The wallet', 'Dr Example', 'Desk', 'Plenum', 'badword'];

describe('the organiser console in both languages (real page entry, DOM walk)', () => {
  it('leaves no German text or label after switching to English, and no English after switching back', async () => {
    const now = Date.now();
    await loadPage(() => import('../src/pages/organiser'), {
      'events/ev1': { id: 'ev1', name: 'Civic Tech Day', createdAt: '2026-12-04T09:00:00Z', stages: [stage] },
      events: [{ id: 'ev1', name: 'Civic Tech Day', createdAt: '2026-12-04T09:00:00Z', stages: [stage] }],
      'stages/st1/polls': [
        {
          poll: { id: 'pl1', stageId: 'st1', kind: 'single', question: 'Which topic first', options: [{ id: 'a', label: 'Alpha' }, { id: 'b', label: 'Beta' }], maxSelections: 1, scale: null, state: 'draft', resultsVisible: false, createdAt: '2026-12-04T09:00:00Z', openedAt: null, closedAt: null },
          results: { pollId: 'pl1', version: 0, voters: 0, counts: { a: 0, b: 0 }, mean: null },
        },
      ],
      'stages/st1/clouds': [
        {
          cloud: { id: 'wc1', stageId: 'st1', prompt: 'One word for today', maxEntries: 3, state: 'draft', resultsVisible: false, createdAt: '2026-12-04T09:00:00Z', openedAt: null, closedAt: null },
          results: { cloudId: 'wc1', version: 0, contributors: 0, entries: 0, words: [], hidden: [] },
        },
      ],
      'stages/st1/talks': [{ id: 'tk1', stageId: 'st1', title: 'The wallet', speakers: 'Dr Example', startsAt: new Date(now + 60_000).toISOString(), endsAt: new Date(now + 3_600_000).toISOString() }],
      'events/ev1/moderators': [{ id: 'md1', eventId: 'ev1', label: 'Desk', createdAt: '2026-12-04T09:00:00Z' }],
      'events/ev1/blocklist': { words: ['badword'], defaults: ['badword'] },
    });
    await settle(10);
    expect(document.querySelector('section.stage-card')).not.toBeNull();
    expect(document.documentElement.lang).toBe('de');
    expect(findLeftovers(collectPageTexts(document), 'en', USER_TEXTS).length).toBeGreaterThan(20);

    document.querySelector<HTMLButtonElement>('button.lang-switch')!.click();
    await settle();
    expect(findLeftovers(collectPageTexts(document), 'en', USER_TEXTS)).toEqual([]);
    document.querySelector<HTMLButtonElement>('button.lang-switch')!.click();
    await settle();
    expect(findLeftovers(collectPageTexts(document), 'de', USER_TEXTS)).toEqual([]);
  });
});
