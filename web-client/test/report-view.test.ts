// @vitest-environment happy-dom
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { setLanguage } from '../src/lib/i18n';
import { parseExport, type ViewerSeries } from '../src/lib/report-data';
import { renderReport, viewerTableRows, type ChartDrawer } from '../src/ui/report-view';

/** Text with runs of white space (the no-break space of "25 %" too) as one space. */
const text = (el: Element | null) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();

beforeEach(() => {
  document.body.replaceChildren();
  setLanguage('de');
});

const ctx = { eventId: 'e1', event: 'Fachtag', stageId: 's1', stage: 'Saal 1', talkId: 't1', talk: 'Erster' };
const base = {
  schema: 'plenum-export/1',
  exportedAt: '2026-12-04T18:00:00Z',
  event: { id: 'e1', name: 'Fachtag' },
  stageId: null,
  stages: [{ id: 's1', name: 'Saal 1', code: 'K7M2QX', talks: [{ id: 't1', title: 'Erster', speakers: '', startsAt: '2026-12-04T10:00:00Z', endsAt: '2026-12-04T11:00:00Z' }] }],
  polls: [
    { ...ctx, pollId: 'p1', question: 'Wie gut?', pollKind: 'rating', state: 'closed', openedAt: null, closedAt: null, voters: 4, optionKey: '4', option: '4', count: 1, share: 0.25, mean: 4.75 },
    { ...ctx, pollId: 'p1', question: 'Wie gut?', pollKind: 'rating', state: 'closed', openedAt: null, closedAt: null, voters: 4, optionKey: '5', option: '5', count: 3, share: 0.75, mean: 4.75 },
  ],
  words: [],
  posts: [],
  reactions: [],
  timeline: [],
};

function drawer(): ChartDrawer & { calls: string[] } {
  const calls: string[] = [];
  return { calls, time: vi.fn(() => void calls.push('time')), bars: vi.fn((_c, labels: string[]) => void calls.push(`bars:${labels.join('|')}`)) };
}

describe('report view', () => {
  it('says "not recorded yet" without presence and summary, and gives every chart a captioned table', () => {
    const d = drawer();
    const report = renderReport(parseExport(base), null, d);
    document.body.append(...report.sections);
    report.drawCharts();
    expect([...document.querySelectorAll('.not-recorded')].map(text)).toEqual([
      'Noch nicht aufgezeichnet: Dieser Server zeichnet die Zusammenfassung (Teilnehmende, Höchstwert) noch nicht auf.',
      'Noch nicht aufgezeichnet: Dieser Server zeichnet die Zuschauerzahlen im Zeitverlauf noch nicht auf.',
    ]);
    expect(d.calls).toEqual(['bars:Erster (Saal 1)', 'bars:Stimmen|Wortwolken-Einträge|Fragen|Unterstützungen für Fragen|Kommentare|Feedback|Reaktionen|Antworten auf offene Fragen', 'bars:4|5']);
    for (const figure of document.querySelectorAll('figure.chart-figure')) {
      expect(figure.querySelector('canvas')!.getAttribute('aria-hidden')).toBe('true');
      expect(text(figure.querySelector('table > caption'))).not.toBe('');
      expect(figure.querySelectorAll('th[scope=col]').length).toBeGreaterThan(1);
    }
    const poll = document.querySelector('.report-poll')!;
    expect(text(poll.querySelector('p'))).toBe('Saal 1: Erster · 4 Stimmen · Beendet · Durchschnitt: 4,8');
    expect([...poll.querySelectorAll('tbody tr')].map((r) => [...r.children].map(text))).toEqual([
      ['4', '1', '25 %'],
      ['5', '3', '75 %'],
    ]);
  });

  it('shows a ranking poll by Borda points with mean rank and the distribution', () => {
    const d = drawer();
    const row = { ...ctx, pollId: 'p2', question: 'Was zuerst?', pollKind: 'ranking', state: 'open', openedAt: null, closedAt: null, voters: 3 };
    const doc = {
      ...base,
      polls: [
        { ...row, optionKey: 'a', option: 'OZG', count: 3, share: 0.5, mean: 2.0, bordaPoints: 3, positions: '1|1|1' },
        { ...row, optionKey: 'b', option: 'KI', count: 5, share: 0.8333, mean: 1.33, bordaPoints: 5, positions: '2|1|0' },
        { ...row, optionKey: 'c', option: 'Cloud', count: 1, share: 0.1667, mean: 2.67, bordaPoints: 1, positions: '0|1|2' },
      ],
    };
    const report = renderReport(parseExport(doc), null, d);
    document.body.append(...report.sections);
    report.drawCharts();
    expect(d.calls).toContain('bars:KI|OZG|Cloud');
    const poll = document.querySelector('.report-poll')!;
    expect(text(poll.querySelector('p'))).toContain('Borda: 2 Punkte für Platz 1');
    expect([...poll.querySelectorAll('thead th')].map(text)).toEqual(['Antwort', 'Borda-Punkte', 'Ø Platz', 'Verteilung nach Platz']);
    expect([...poll.querySelectorAll('tbody tr')].map((r) => [...r.children].map(text))).toEqual([
      ['KI', '5', '1,33', '1.: 2 · 2.: 1 · 3.: 0'],
      ['OZG', '3', '2,00', '1.: 1 · 2.: 1 · 3.: 1'],
      ['Cloud', '1', '2,67', '1.: 0 · 2.: 1 · 3.: 2'],
    ]);
  });

  it('draws viewers per stage with the split and a summary table when recorded', () => {
    const d = drawer();
    const doc = {
      ...base,
      presence: [
        { ...ctx, at: '2026-12-04T10:00:00Z', viewers: 5, viewersHall: 3, viewersStream: 2, viewersOther: 0, moderators: 1, presenters: 0 },
        { ...ctx, at: '2026-12-04T10:00:10Z', viewers: 8, viewersHall: 5, viewersStream: 3, viewersOther: 0, moderators: 1, presenters: 0 },
      ],
      summary: [{ ...ctx, stageId: null, stage: null, talkId: null, talk: null, participants: 12, peakViewers: 8 }],
    };
    const report = renderReport(parseExport(doc), null, d);
    document.body.append(...report.sections);
    report.drawCharts();
    expect(d.time).toHaveBeenCalledTimes(1);
    const [, series, peak] = (d.time as ReturnType<typeof vi.fn>).mock.calls[0];
    expect(series.map((s: { label: string }) => s.label)).toEqual(['Gesamt', 'Saal (Saal-QR-Code)', 'Stream (Stream-Link)']);
    expect(peak).toMatchObject({ x: Date.parse('2026-12-04T10:00:10Z'), y: 8 });
    expect(text(document.querySelector('.peak-note'))).toMatch(/^Höchstwert: 8 um /);
    const summary = document.querySelector('.report-section table')!;
    expect([...summary.querySelectorAll('tr')].map((r) => [...r.children].map(text))).toEqual([
      ['Bereich', 'Teilnehmende (verschieden)', 'Höchstzahl gleichzeitig'],
      ['Ganze Veranstaltung', '12', '8'],
    ]);
  });

  it('keeps the viewers table short: the highest value per bucket over a long day', () => {
    const start = Date.parse('2026-12-04T08:00:00Z');
    const samples = Array.from({ length: 8 * 360 }, (_, i) => ({ stageId: 's1', talkId: null, time: start + i * 10_000, viewers: i % 360, hall: 0, stream: 0, other: 0, moderators: 0, presenters: 0 }));
    const series: ViewerSeries = { stageId: 's1', stageName: 'Saal 1', samples, split: false, peak: null };
    const rows = viewerTableRows(series);
    expect(rows.length).toBeLessThanOrEqual(48);
    expect(rows[0]).toMatchObject({ time: start, bucketMinutes: 15, viewers: 89 });
    expect(Math.max(...rows.map((r) => r.viewers))).toBe(359);
    expect(viewerTableRows({ ...series, samples: samples.slice(0, 10) })).toHaveLength(10);
  });
});
