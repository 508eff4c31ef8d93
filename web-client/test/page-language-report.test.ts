// @vitest-environment happy-dom
// @vitest-environment-options { "url": "http://plenum.test/report.html?event=ev1&lang=de#token=po_test" }
import { describe, expect, it, vi } from 'vitest';
import { collectPageTexts, findLeftovers } from './language-patterns';
import { loadPage, settle } from './page-harness';

const ctx = { eventId: 'ev1', event: 'Civic Tech Day', stageId: 'st1', stage: 'Main Hall', talkId: 'tk1', talk: 'The wallet' };
const USER_TEXTS = ['Civic Tech Day', 'Main Hall', 'The wallet', 'Which topic first', 'Alpha', 'Beta', 'One word for today', 'wallet', 'Why now', 'Plenum'];

describe('the report in both languages (real page entry, DOM walk)', () => {
  it('leaves no German text or label after switching to English, and no English after switching back', async () => {
    // happy-dom has no canvas: Chart.js says so on the console and draws nothing; the tables are all there.
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    await loadPage(() => import('../src/pages/report'), {
      'events/ev1/export': {
        schema: 'plenum-export/1',
        exportedAt: '2026-12-04T18:00:00Z',
        event: { id: 'ev1', name: 'Civic Tech Day' },
        stageId: null,
        stages: [{ id: 'st1', name: 'Main Hall', code: 'K7M2QX', talks: [{ id: 'tk1', title: 'The wallet', speakers: '', startsAt: '2026-12-04T10:00:00Z', endsAt: '2026-12-04T11:00:00Z' }] }],
        polls: [{ ...ctx, pollId: 'p1', question: 'Which topic first', pollKind: 'single', state: 'closed', openedAt: null, closedAt: null, voters: 2, optionKey: 'a', option: 'Alpha', count: 2, share: 1, mean: null }],
        words: [{ ...ctx, cloudId: 'c1', prompt: 'One word for today', state: 'closed', contributors: 1, entries: 1, key: 'wallet', text: 'wallet', count: 1, hidden: false }],
        posts: [{ ...ctx, postId: 'q1', postKind: 'question', createdAt: '2026-12-04T10:10:00Z', name: null, text: 'Why now', originalText: null, state: 'published', answered: true, pinned: false, upvotes: 3, reply: null }],
        reactions: [],
        timeline: [],
        presence: [{ ...ctx, time: '2026-12-04T10:00:00Z', viewers: 3, viewersHall: 2, viewersStream: 1, viewersOther: 0, moderators: 1, presenters: 1 }],
        summary: [{ ...ctx, talkId: null, talk: null, participants: 4, peakViewers: 3, peakAt: '2026-12-04T10:00:00Z' }],
      },
    });
    await settle(10);
    expect(document.querySelector('.report-section table')).not.toBeNull();
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
