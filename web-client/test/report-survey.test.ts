// @vitest-environment happy-dom
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { setLanguage } from '../src/lib/i18n';
import { forTalk, parseExport, tablesIn } from '../src/lib/report-data';
import { renderReport, type ChartDrawer } from '../src/ui/report-view';

const text = (el: Element | null) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
const ctx = { eventId: 'e1', event: 'Fachtag', stageId: 's1', stage: 'Saal 1', talkId: 't1', talk: 'Erster' };
const row = (questionId: string, question: string, questionKind: string, more: Record<string, unknown>) => ({
  ...ctx, questionId, question, questionKind, surveyState: 'closed', responses: 3, answered: 2, optionKey: null, option: null, count: null, share: null, mean: null, text: null, ...more,
});
const doc = {
  schema: 'plenum-export/1',
  exportedAt: '2026-12-04T18:00:00Z',
  event: { id: 'e1', name: 'Fachtag' },
  stageId: null,
  stages: [{ id: 's1', name: 'Saal 1', code: 'K7M2QX', talks: [
    { id: 't1', title: 'Erster', speakers: '', startsAt: '2026-12-04T10:00:00Z', endsAt: '2026-12-04T11:00:00Z' },
    { id: 't2', title: 'Zweiter', speakers: '', startsAt: '2026-12-04T11:00:00Z', endsAt: '2026-12-04T12:00:00Z' },
  ] }],
  polls: [], words: [], posts: [], reactions: [], timeline: [],
  survey: [
    ...[1, 2, 3, 4, 5].map((v) => row('q1', 'Wie war es?', 'rating', { optionKey: String(v), option: String(v), count: v === 4 || v === 5 ? 1 : 0, share: v >= 4 ? 0.5 : 0, mean: 4.5 })),
    row('q2', 'Nützlich?', 'single', { answered: 3, optionKey: 'a', option: 'Ja', count: 2, share: 0.6667 }),
    row('q2', 'Nützlich?', 'single', { answered: 3, optionKey: 'b', option: 'Nein', count: 1, share: 0.3333 }),
    row('q3', 'Anregungen?', 'text', { text: 'Mehr Pausen' }),
    row('q3', 'Anregungen?', 'text', { text: 'Folien teilen' }),
  ],
};

beforeEach(() => {
  document.body.replaceChildren();
  setLanguage('de');
});

describe('the report’s feedback surveys (issue 12)', () => {
  it('groups the survey table per talk and question', () => {
    const data = parseExport(doc);
    expect(tablesIn(doc)).toContain('survey');
    expect(data.surveys).toHaveLength(1);
    const [s] = data.surveys;
    expect(s.responses).toBe(3);
    expect(s.questions.map((q) => `${q.questionId}:${q.options.length}:${q.texts.length}`)).toEqual(['q1:5:0', 'q2:2:0', 'q3:0:2']);
    expect(s.questions[0].mean).toBe(4.5);
    expect(forTalk(data, 't2').surveys).toEqual([]);
    expect(forTalk(data, 't1').surveys).toHaveLength(1);
  });

  it('draws bars with a table per question and lists the open texts', () => {
    const calls: string[] = [];
    const drawer: ChartDrawer = { time: vi.fn(), bars: vi.fn((_c, labels: string[]) => void calls.push(labels.join('|'))) };
    const report = renderReport(parseExport(doc), 't1', drawer);
    document.body.append(...report.sections);
    report.drawCharts();
    const section = [...document.querySelectorAll('section')].find((x) => x.querySelector('h2')?.textContent === 'Feedback-Umfragen')!;
    expect(section).toBeDefined();
    expect(text(section.querySelector('h3'))).toBe('Feedback zu „Erster“');
    expect(text(section.querySelector('.muted'))).toContain('3 Antworten');
    const tables = section.querySelectorAll('table');
    expect(tables).toHaveLength(2);
    expect(text(tables[1].querySelector('caption'))).toBe('Nützlich?');
    expect([...tables[1].querySelectorAll('tbody tr')].map((tr) => [...tr.children].map(text).join(' '))).toEqual(['Ja 2 67 %', 'Nein 1 33 %']);
    expect(text(section)).toContain('Durchschnitt: 4,5');
    expect([...section.querySelectorAll('.report-answers li')].map(text)).toEqual(['Mehr Pausen', 'Folien teilen']);
    expect(calls.slice(-2)).toEqual(['1|2|3|4|5', 'Ja|Nein']);
  });

  it('says so when there is no survey', () => {
    const report = renderReport(parseExport({ ...doc, survey: [] }), null, { time: vi.fn(), bars: vi.fn() });
    document.body.append(...report.sections);
    expect(document.body.textContent).toContain('Keine Feedback-Umfrage.');
  });
});
