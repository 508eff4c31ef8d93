import { describe, expect, it } from 'vitest';
import { forTalk, interactionsByKind, topQuestions, topWords, parseExport, participationPerTalk, ReportFormatError, tablesIn, talksOf, viewerSeries, summaryColumns } from '../src/lib/report-data';

const ctx = (stageId: string, talkId: string | null) => ({ eventId: 'e1', event: 'Fachtag', stageId, stage: stageId === 's1' ? 'Saal 1' : 'Saal 2', talkId, talk: talkId ? `Talk ${talkId}` : null });

/** An export as the server writes it today (schema plenum-export/1, without the statistics tables). */
function today(): Record<string, unknown> {
  return {
    schema: 'plenum-export/1',
    exportedAt: '2026-12-04T18:00:00Z',
    event: { id: 'e1', name: 'Fachtag' },
    stageId: null,
    stages: [
      { id: 's1', name: 'Saal 1', code: 'K7M2QX', talks: [
        { id: 't2', title: 'Zweiter', speakers: '', startsAt: '2026-12-04T11:00:00Z', endsAt: '2026-12-04T12:00:00Z' },
        { id: 't1', title: 'Erster', speakers: 'A. B.', startsAt: '2026-12-04T10:00:00Z', endsAt: '2026-12-04T11:00:00Z' },
      ] },
      { id: 's2', name: 'Saal 2', code: 'ABCDEF', talks: [] },
    ],
    polls: [
      { ...ctx('s1', 't1'), pollId: 'p1', question: 'Ja oder nein?', pollKind: 'single', state: 'closed', openedAt: '2026-12-04T10:05:00Z', closedAt: null, voters: 3, optionKey: 'a', option: 'Ja', count: 2, share: 0.6667, mean: null },
      { ...ctx('s1', 't1'), pollId: 'p1', question: 'Ja oder nein?', pollKind: 'single', state: 'closed', openedAt: '2026-12-04T10:05:00Z', closedAt: null, voters: 3, optionKey: 'b', option: 'Nein', count: 1, share: 0.3333, mean: null },
      { ...ctx('s2', null), pollId: 'p2', question: 'Wie gut?', pollKind: 'rating', state: 'open', openedAt: null, closedAt: null, voters: 2, optionKey: '5', option: '5', count: 2, share: 1, mean: 5 },
    ],
    words: [
      { ...ctx('s1', 't2'), cloudId: 'c1', prompt: 'Ein Wort', state: 'open', contributors: 2, entries: 3, key: 'x', text: 'X', count: 2, hidden: false },
      { ...ctx('s1', 't2'), cloudId: 'c1', prompt: 'Ein Wort', state: 'open', contributors: 2, entries: 3, key: 'y', text: 'Y', count: 1, hidden: true },
    ],
    posts: [
      { ...ctx('s1', 't1'), postId: 'q1', postKind: 'question', createdAt: '', name: null, text: 'Warum?', originalText: null, state: 'published', answered: false, pinned: false, upvotes: 4, reply: null },
      { ...ctx('s1', 't2'), postId: 'm1', postKind: 'comment', createdAt: '', name: null, text: 'Gut', originalText: null, state: 'published', answered: false, pinned: false, upvotes: 0, reply: null },
      { ...ctx('s2', null), postId: 'f1', postKind: 'feedback', createdAt: '', name: null, text: 'Danke', originalText: null, state: 'pending', answered: false, pinned: false, upvotes: 0, reply: null },
    ],
    reactions: [{ ...ctx('s1', null), emoji: '👏', count: 5 }],
    timeline: [
      { ...ctx('s1', 't1'), minute: '2026-12-04T10:10:00Z', emoji: '👏', count: 3 },
      { ...ctx('s1', 't2'), minute: '2026-12-04T11:10:00Z', emoji: '👏', count: 2 },
    ],
  };
}

describe('parseExport', () => {
  it('reads today’s export: one result per poll, one summary per cloud, and no statistics yet', () => {
    const data = parseExport(today());
    expect(data.eventName).toBe('Fachtag');
    expect(data.polls).toHaveLength(2);
    expect(data.polls[0]).toMatchObject({ pollId: 'p1', question: 'Ja oder nein?', kind: 'single', voters: 3, stageId: 's1', talkId: 't1', mean: null });
    expect(data.polls[0].options).toEqual([
      { key: 'a', label: 'Ja', count: 2, share: 0.6667 },
      { key: 'b', label: 'Nein', count: 1, share: 0.3333 },
    ]);
    expect(data.polls[1]).toMatchObject({ kind: 'rating', mean: 5, talkId: null });
    expect(data.clouds).toEqual([
      { cloudId: 'c1', prompt: 'Ein Wort', stageId: 's1', talkId: 't2', contributors: 2, entries: 3, words: [{ text: 'X', count: 2, hidden: false }, { text: 'Y', count: 1, hidden: true }] },
    ]);
    expect(topWords(data.clouds[0])).toEqual([{ text: 'X', count: 2 }]);
    expect(topQuestions(data).map((q) => [q.text, q.upvotes, q.answered])).toEqual([['Warum?', 4, false]]);
    expect(data.presence).toBeNull();
    expect(data.activity).toBeNull();
    expect(data.summary).toBeNull();
    expect(viewerSeries(data)).toBeNull();
  });

  it('refuses what is not an export', () => {
    expect(() => parseExport(null)).toThrow(ReportFormatError);
    expect(() => parseExport({ schema: 'other/1' })).toThrow(ReportFormatError);
    expect(() => parseExport({ ...today(), polls: 'x' })).toThrow(ReportFormatError);
  });

  it('reads presence, activity and summary when the server records them', () => {
    const doc = {
      ...today(),
      presence: [
        { ...ctx('s1', 't1'), at: '2026-12-04T10:00:00Z', viewers: 10, viewersHall: 6, viewersStream: 4, viewersOther: 0, moderators: 1, presenters: 1 },
        { ...ctx('s1', 't1'), at: '2026-12-04T10:00:10Z', viewers: 25, viewersHall: 15, viewersStream: 10, viewersOther: 0, moderators: 1, presenters: 1 },
        { ...ctx('s1', 't2'), at: '2026-12-04T11:00:00Z', viewers: 25, viewersHall: 5, viewersStream: 20, viewersOther: 0, moderators: 1, presenters: 0 },
        { ...ctx('s1', null), at: 'not a time', viewers: 99, viewersHall: 0, viewersStream: 0, viewersOther: 0, moderators: 0, presenters: 0 },
      ],
      activity: [
        { ...ctx('s1', 't1'), minute: '2026-12-04T10:05:00Z', votes: 3, words: 0, questions: 1, upvotes: 4, comments: 0, feedback: 0, reactions: 3 },
        { ...ctx('s1', 't2'), minute: '2026-12-04T11:05:00Z', votes: 0, words: 3, questions: 0, upvotes: 0, comments: 1, feedback: 0, reactions: 2 },
      ],
      summary: [
        { ...ctx('s1', 't2'), scope: 'talk', participants: 20, peakViewers: 25, peakAt: '2026-12-04T11:00:00Z', peakViewersHall: 5, peakViewersStream: 20, votes: 0 },
        { ...ctx('s1', null), talkId: null, talk: null, scope: 'stage', participants: 31, peakViewers: 25, peakAt: '2026-12-04T10:00:10Z', peakViewersHall: 15, peakViewersStream: 10, votes: 3 },
        { ...ctx('s1', null), stageId: null, stage: null, talkId: null, talk: null, scope: 'event', participants: 31, peakViewers: 25, peakAt: '2026-12-04T10:00:10Z', peakViewersHall: 15, peakViewersStream: 10, votes: 3 },
      ],
    };
    const data = parseExport(doc);
    expect(data.presence).toHaveLength(3);
    expect(data.presence![1]).toEqual({ stageId: 's1', talkId: 't1', time: Date.parse('2026-12-04T10:00:10Z'), viewers: 25, hall: 15, stream: 10, other: 0, moderators: 1, presenters: 1 });
    const series = viewerSeries(data)!;
    expect(series).toHaveLength(1);
    expect(series[0]).toMatchObject({ stageId: 's1', split: true, peak: { viewers: 25, time: Date.parse('2026-12-04T10:00:10Z') } });
    expect(interactionsByKind(data)).toEqual({ votes: 3, words: 3, questions: 1, upvotes: 4, comments: 1, feedback: 0, reactions: 5, answers: 0 });
    // The real columns: `scope` names what a row covers; the event and stage rows are the event's view.
    expect(forTalk(data, null).summary!.map((r) => r.scope)).toEqual(['stage', 'event']);
    expect(forTalk(data, null).summary![0]).toEqual({ scope: 'stage', stageId: 's1', stage: 'Saal 1', talkId: null, talk: null, figures: { participants: 31, peakViewers: 25, peakAt: '2026-12-04T10:00:10Z', peakViewersHall: 15, peakViewersStream: 10, votes: 3 } });
    expect(forTalk(data, 't2').summary!.map((r) => [r.scope, r.figures.participants])).toEqual([['talk', 20]]);
    expect(summaryColumns(data.summary!)).toEqual(['participants', 'peakViewers', 'peakAt', 'peakViewersHall', 'peakViewersStream', 'votes']);
    expect(tablesIn(doc)).toEqual(['polls', 'words', 'posts', 'reactions', 'timeline', 'presence', 'activity', 'summary']);
    // Per talk: the second talk's samples only, its peak is its own.
    expect(viewerSeries(forTalk(data, 't2'))![0].peak).toEqual({ viewers: 25, time: Date.parse('2026-12-04T11:00:00Z') });
  });
});

describe('figures without the statistics tables', () => {
  it('counts interactions by kind from the items: voters, entries, posts by kind, upvotes, reaction totals', () => {
    expect(interactionsByKind(parseExport(today()))).toEqual({ votes: 5, words: 3, questions: 1, upvotes: 4, comments: 1, feedback: 1, reactions: 5, answers: 0 });
  });

  it('cuts per talk: only what was attributed to it, reactions from its minutes', () => {
    const t1 = forTalk(parseExport(today()), 't1');
    expect(t1.stages.map((s) => s.id)).toEqual(['s1']);
    expect(interactionsByKind(t1, true)).toEqual({ votes: 3, words: 0, questions: 1, upvotes: 4, comments: 0, feedback: 0, reactions: 3, answers: 0 });
  });

  it('gives participation per talk in programme order, then what happened outside any talk', () => {
    const rows = participationPerTalk(parseExport(today()));
    expect(rows.map((r) => [r.stageName, r.title, r.total])).toEqual([
      ['Saal 1', 'Erster', 3 + 1 + 4 + 3],
      ['Saal 1', 'Zweiter', 3 + 1 + 2],
      ['Saal 2', null, 2 + 1],
    ]);
  });

  it('lists the talks stage by stage in programme order', () => {
    expect(talksOf(parseExport(today())).map((t) => t.id)).toEqual(['t1', 't2']);
  });
});
