import { i18n, t, type MessageKey } from '../lib/i18n';
import {
  INTERACTION_KINDS,
  forTalk,
  interactionsByKind,
  participationPerTalk,
  summaryColumns,
  topQuestions,
  topWords,
  viewerSeries,
  type PollResult,
  type ReportData,
  type SummaryRow,
  type ViewerSeries,
} from '../lib/report-data';
import { h, uniqueId } from './dom';
import { distributionText } from './results';

/** What draws the charts (Chart.js in the page; nothing in unit tests, which look at the tables). */
export interface ChartDrawer {
  time(canvas: HTMLCanvasElement, series: Array<{ label: string; points: Array<{ x: number; y: number }> }>, peak: { x: number; y: number; label: string } | null, formatTime: (ms: number) => string, yTitle: string): void;
  bars(canvas: HTMLCanvasElement, labels: string[], values: number[], valueLabels: string[], datasetLabel: string): void;
}

export interface RenderedReport {
  sections: HTMLElement[];
  /** Draws the charts; call once the sections are in the document (the canvases need a size). */
  drawCharts(): void;
}

/** The report's sections for the whole event (`talkId` null) or one talk. */
export function renderReport(all: ReportData, talkId: string | null, drawer: ChartDrawer): RenderedReport {
  const data = forTalk(all, talkId);
  const pending: Array<() => void> = [];
  const sections = [
    summarySection(data),
    viewersSection(data, drawer, pending),
    participationSection(data, talkId, drawer, pending),
    interactionsSection(data, talkId, drawer, pending),
    pollsSection(data, drawer, pending),
    surveysSection(data, drawer, pending),
    cloudsSection(data),
    questionsSection(data),
  ];
  return { sections, drawCharts: () => pending.splice(0).forEach((f) => f()) };
}

function section(titleKey: MessageKey, ...content: Array<Node | null>): HTMLElement {
  const id = uniqueId('report-h');
  return h('section', { class: 'report-section', 'aria-labelledby': id }, h('h2', { id, i18n: titleKey }), ...content);
}

function notRecorded(what: MessageKey): HTMLElement {
  return h('p', { class: 'not-recorded', text: t('report.notRecorded', { what: t(what) }) });
}

/** A chart (canvas hidden from assistive technology) followed by its table alternative. */
function figure(kind: 'time' | 'bars', rows: number, table: HTMLTableElement, pending: Array<() => void>, drawOn: (canvas: HTMLCanvasElement) => void): HTMLElement {
  const canvas = h('canvas', { 'aria-hidden': 'true' });
  const box = h('div', { class: `chart-box chart-${kind}` }, canvas);
  // Bars get room by their number; CSSOM styles are allowed by the page's Content-Security-Policy.
  if (kind === 'bars') box.style.height = `${Math.max(6, 2.2 * rows + 3)}rem`;
  pending.push(() => drawOn(canvas));
  return h('figure', { class: 'chart-figure' }, box, scrollable(table));
}

/** Wide tables scroll sideways on a phone; the scrolling box is focusable so a keyboard can scroll it. */
function scrollable(table: HTMLTableElement): HTMLElement {
  return h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': table.caption?.textContent ?? '' }, table);
}

function dataTable(caption: string, head: string[], body: Array<Array<string | number>>, numericFrom = 1): HTMLTableElement {
  return h(
    'table',
    { class: 'data-table' },
    h('caption', { text: caption }),
    h('thead', {}, h('tr', {}, ...head.map((c, i) => h('th', { scope: 'col', class: i >= numericFrom ? 'num' : undefined, text: c })))),
    h(
      'tbody',
      {},
      ...body.map((row) =>
        h(
          'tr',
          {},
          ...row.map((cell, i) => (i === 0 ? h('th', { scope: 'row', text: String(cell) }) : h('td', { class: i >= numericFrom ? 'num' : undefined, text: typeof cell === 'number' ? i18n().number(cell) : cell }))),
        ),
      ),
    ),
  );
}

const clock = (ms: number) => new Intl.DateTimeFormat(i18n().lang, { hour: '2-digit', minute: '2-digit' }).format(ms);
const dateTime = (ms: number) => new Intl.DateTimeFormat(i18n().lang, { dateStyle: 'medium', timeStyle: 'short' }).format(ms);

// ---- summary ----

function summarySection(data: ReportData): HTMLElement {
  if (data.summary === null) return section('report.summary', notRecorded('report.notRecorded.summary'));
  if (data.summary.length === 0) return section('report.summary', h('p', { i18n: 'report.nothing' }));
  const keys = summaryColumns(data.summary);
  const label = (key: string) => {
    const k = `report.field.${key}` as MessageKey;
    if (t(k) !== k) return t(k);
    const kind = `report.kind.${key}` as MessageKey;
    return t(kind) !== kind ? t(kind) : key;
  };
  const scope = (r: SummaryRow) => (r.scope === 'event' ? t('report.summaryWholeEvent') : r.scope === 'stage' ? t('report.summaryStage', { stage: r.stage ?? '' }) : t('report.summaryTalk', { stage: r.stage ?? '', talk: r.talk ?? '' }));
  const cell = (v: SummaryRow['figures'][string]): string | number => {
    if (typeof v === 'number') return v;
    if (typeof v === 'string' && /^\d{4}-\d\d-\d\dT/.test(v) && Number.isFinite(Date.parse(v))) return dateTime(Date.parse(v));
    return v === null ? '–' : String(v);
  };
  // Two tables, so each fits an A4 page: who and how many at the peak, then the totals by kind.
  const isKind = (k: string) => (INTERACTION_KINDS as readonly string[]).includes(k);
  const table = (caption: string, columns: string[]) =>
    scrollable(dataTable(caption, [t('report.summaryScope'), ...columns.map(label)], data.summary!.map((r) => [scope(r), ...columns.map((k) => cell(r.figures[k] ?? null))])));
  const kinds = keys.filter(isKind);
  return section('report.summary', table(t('report.summaryCaption'), keys.filter((k) => !isKind(k))), kinds.length ? table(t('report.summaryKindsCaption'), kinds) : null);
}

// ---- viewers over time ----

function viewersSection(data: ReportData, drawer: ChartDrawer, pending: Array<() => void>): HTMLElement {
  const all = viewerSeries(data);
  if (all === null) return section('report.viewers', notRecorded('report.notRecorded.presence'));
  if (all.length === 0) return section('report.viewers', h('p', { i18n: 'report.nothing' }));
  return section('report.viewers', ...all.map((s) => stageViewers(s, drawer, pending)));
}

/** Rows of the table alternative: the highest figures per bucket, so a long day stays a short table. */
export function viewerTableRows(series: ViewerSeries, maxRows = 48): Array<{ time: number; viewers: number; hall: number; stream: number; other: number; bucketMinutes: number }> {
  const samples = series.samples;
  if (samples.length === 0) return [];
  const span = samples[samples.length - 1].time - samples[0].time;
  const bucketMinutes = [0, 1, 5, 15, 30, 60, 120, 240].find((m) => m === 0 ? samples.length <= maxRows : span / (m * 60_000) < maxRows) ?? 240;
  if (bucketMinutes === 0) return samples.map((s) => ({ time: s.time, viewers: s.viewers, hall: s.hall, stream: s.stream, other: s.other, bucketMinutes }));
  const size = bucketMinutes * 60_000;
  const buckets = new Map<number, { time: number; viewers: number; hall: number; stream: number; other: number; bucketMinutes: number }>();
  for (const s of samples) {
    const start = Math.floor(s.time / size) * size;
    const b = buckets.get(start) ?? { time: start, viewers: 0, hall: 0, stream: 0, other: 0, bucketMinutes };
    b.viewers = Math.max(b.viewers, s.viewers);
    b.hall = Math.max(b.hall, s.hall);
    b.stream = Math.max(b.stream, s.stream);
    b.other = Math.max(b.other, s.other);
    buckets.set(start, b);
  }
  return [...buckets.values()];
}

function stageViewers(s: ViewerSeries, drawer: ChartDrawer, pending: Array<() => void>): HTMLElement {
  const title = t('report.viewersStage', { stage: s.stageName });
  const peakText = s.peak ? t('report.peak', { count: s.peak.viewers, time: dateTime(s.peak.time) }) : null;
  const rows = viewerTableRows(s);
  const head = [t('report.time'), t('report.viewersTotal'), ...(s.split ? [t('report.viewersHall'), t('report.viewersStream'), t('report.viewersOther')] : [])];
  const table = dataTable(
    `${t('report.tableOfChart', { title })}${peakText ? ` – ${peakText}` : ''}`,
    head,
    rows.map((r) => [r.bucketMinutes ? t('report.bucket', { time: clock(r.time), minutes: r.bucketMinutes }) : clock(r.time), r.viewers, ...(s.split ? [r.hall, r.stream, r.other] : [])]),
  );
  const series = [{ label: t('report.viewersTotal'), points: s.samples.map((p) => ({ x: p.time, y: p.viewers })) }];
  if (s.split) {
    series.push({ label: t('report.viewersHall'), points: s.samples.map((p) => ({ x: p.time, y: p.hall })) });
    series.push({ label: t('report.viewersStream'), points: s.samples.map((p) => ({ x: p.time, y: p.stream })) });
    if (s.samples.some((p) => p.other > 0)) series.push({ label: t('report.viewersOther'), points: s.samples.map((p) => ({ x: p.time, y: p.other })) });
  }
  const peak = s.peak ? { x: s.peak.time, y: s.peak.viewers, label: t('report.peak', { count: s.peak.viewers, time: clock(s.peak.time) }) } : null;
  return h(
    'div',
    { class: 'report-stage-viewers' },
    h('h3', { text: title }),
    peakText ? h('p', { class: 'peak-note', text: peakText }) : null,
    figure('time', rows.length, table, pending, (canvas) => drawer.time(canvas, series, peak, clock, t('report.viewersAxis'))),
  );
}

// ---- participation per talk ----

function participationSection(data: ReportData, talkId: string | null, drawer: ChartDrawer, pending: Array<() => void>): HTMLElement {
  const perTalk = participationPerTalk(data).filter((p) => talkId === null || p.talkId === talkId);
  if (perTalk.length === 0) return section('report.participation', h('p', { i18n: 'report.nothing' }));
  const name = (p: (typeof perTalk)[number]) => `${p.title ?? t('report.outsideTalks')} (${p.stageName})`;
  const table = dataTable(
    t('report.participationCaption'),
    [t('report.talk'), ...INTERACTION_KINDS.map((k) => t(`report.kind.${k}` as MessageKey)), t('report.total')],
    perTalk.map((p) => [name(p), ...INTERACTION_KINDS.map((k) => p.counts[k]), p.total]),
  );
  return section(
    'report.participation',
    figure('bars', perTalk.length, table, pending, (canvas) =>
      drawer.bars(canvas, perTalk.map(name), perTalk.map((p) => p.total), perTalk.map((p) => i18n().number(p.total)), t('report.total')),
    ),
  );
}

// ---- interactions by kind ----

function interactionsSection(data: ReportData, talkId: string | null, drawer: ChartDrawer, pending: Array<() => void>): HTMLElement {
  const counts = interactionsByKind(data, talkId !== null);
  const total = INTERACTION_KINDS.reduce((a, k) => a + counts[k], 0);
  const labels = INTERACTION_KINDS.map((k) => t(`report.kind.${k}` as MessageKey));
  const share = (n: number) => (total > 0 ? i18n().percent(Math.round((100 * n) / total)) : '–');
  const table = dataTable(
    t('report.interactionsCaption'),
    [t('report.kind'), t('report.count'), t('report.share')],
    [...INTERACTION_KINDS.map((k, i) => [labels[i], counts[k], share(counts[k])]), [t('report.total'), total, total > 0 ? i18n().percent(100) : '–']],
  );
  return section(
    'report.interactions',
    figure('bars', labels.length, table, pending, (canvas) =>
      drawer.bars(canvas, labels, INTERACTION_KINDS.map((k) => counts[k]), INTERACTION_KINDS.map((k) => `${i18n().number(counts[k])} (${share(counts[k])})`), t('report.count')),
    ),
  );
}

// ---- each poll's result ----

function pollsSection(data: ReportData, drawer: ChartDrawer, pending: Array<() => void>): HTMLElement {
  if (data.polls.length === 0) return section('report.polls', h('p', { i18n: 'report.noPolls' }));
  return section('report.polls', ...data.polls.map((p) => pollFigure(p, data, drawer, pending)));
}

function pollFigure(poll: PollResult, data: ReportData, drawer: ChartDrawer, pending: Array<() => void>): HTMLElement {
  if (poll.kind === 'ranking') return rankingFigure(poll, data, drawer, pending);
  if (poll.kind === 'text') return textPollFigure(poll, data);
  const stage = data.stages.find((s) => s.id === poll.stageId)?.name ?? '';
  const talk = poll.talkId ? data.stages.flatMap((s) => s.talks).find((x) => x.id === poll.talkId)?.title : null;
  const percent = (o: PollResult['options'][number]) => (o.share !== null ? i18n().percent(Math.round(o.share * 100)) : poll.voters > 0 ? i18n().percent(Math.round((100 * o.count) / poll.voters)) : '–');
  const meta = [
    t('report.pollMeta', { stage: talk ? `${stage}: ${talk}` : stage, voters: i18n().plural('results.voters', poll.voters), state: t(`poll.state.${poll.state}` as MessageKey) }),
    poll.mean !== null ? t('report.pollMean', { mean: i18n().number(poll.mean, 1) }) : null,
  ].filter(Boolean).join(' · ');
  const table = dataTable(poll.question, [t('report.option'), t('report.votes'), t('report.share')], poll.options.map((o) => [o.label, o.count, percent(o)]));
  return h(
    'div',
    { class: 'report-poll' },
    h('h3', { text: poll.question }),
    h('p', { class: 'muted', text: meta }),
    figure('bars', poll.options.length, table, pending, (canvas) =>
      drawer.bars(canvas, poll.options.map((o) => o.label), poll.options.map((o) => o.count), poll.options.map((o) => `${i18n().number(o.count)} (${percent(o)})`), t('report.votes')),
    ),
  );
}

/** A ranking poll: Borda points as bars, with mean rank and the full distribution in the table. */
function rankingFigure(poll: PollResult, data: ReportData, drawer: ChartDrawer, pending: Array<() => void>): HTMLElement {
  const stage = data.stages.find((s) => s.id === poll.stageId)?.name ?? '';
  const talk = poll.talkId ? data.stages.flatMap((s) => s.talks).find((x) => x.id === poll.talkId)?.title : null;
  const tr = i18n();
  const meta = [
    t('report.pollMeta', { stage: talk ? `${stage}: ${talk}` : stage, voters: tr.plural('results.voters', poll.voters), state: t(`poll.state.${poll.state}` as MessageKey) }),
    t('ranking.bordaNote', { max: Math.max(0, poll.options.length - 1) }),
  ].join(' · ');
  const sorted = [...poll.options].sort((a, b) => b.count - a.count);
  const table = dataTable(
    poll.question,
    [t('report.option'), t('report.bordaPoints'), t('report.meanRank'), t('report.positions')],
    sorted.map((o) => [o.label, o.count, o.meanRank != null ? tr.number(o.meanRank, 2) : '–', distributionText(o.positions ?? [], tr)]),
  );
  return h(
    'div',
    { class: 'report-poll' },
    h('h3', { text: poll.question }),
    h('p', { class: 'muted', text: meta }),
    figure('bars', sorted.length, table, pending, (canvas) =>
      drawer.bars(canvas, sorted.map((o) => o.label), sorted.map((o) => o.count), sorted.map((o) => tr.plural('ranking.points', o.count)), t('report.bordaPoints')),
    ),
  );
}

/** An open-text question: its published answers, as a list (issue 12). */
function textPollFigure(poll: PollResult, data: ReportData): HTMLElement {
  const answers = data.posts.filter((p) => p.kind === 'answer' && p.pollId === poll.pollId && p.state === 'published');
  return h(
    'article',
    { class: 'report-poll report-text-poll' },
    h('h3', { text: poll.question }),
    h('p', { class: 'hint', text: t('report.textPollMeta', { n: i18n().number(answers.length) }) }),
    answers.length ? h('ul', { class: 'report-answers' }, ...answers.map((a) => h('li', { text: a.text }))) : h('p', { i18n: 'wall.empty' }),
  );
}

/** The talks' feedback surveys (issue 12): per question bars and a table, a rating's mean, the open texts listed. */
function surveysSection(data: ReportData, drawer: ChartDrawer, pending: Array<() => void>): HTMLElement {
  if (data.surveys.length === 0) return section('report.surveys', h('p', { i18n: 'report.noSurveys' }));
  const tr = i18n();
  return section(
    'report.surveys',
    ...data.surveys.map((survey) => {
      const stage = data.stages.find((s) => s.id === survey.stageId)?.name ?? '';
      return h(
        'div',
        { class: 'report-survey' },
        h('h3', { text: t('report.surveyOf', { talk: survey.talk }) }),
        h('p', { class: 'muted', text: t('report.surveyMeta', { stage, responses: tr.number(survey.responses), state: t(`msurvey.state.${survey.state}` as MessageKey) }) }),
        ...survey.questions.map((q) => {
          const answered = t('report.surveyAnswered', { n: tr.number(q.answered) });
          if (q.kind === 'text') {
            return h(
              'article',
              { class: 'report-poll report-text-poll' },
              h('h4', { text: q.text }),
              h('p', { class: 'hint', text: answered }),
              q.texts.length ? h('ul', { class: 'report-answers' }, ...q.texts.map((text) => h('li', { text }))) : h('p', { i18n: 'report.nothing' }),
            );
          }
          const percent = (o: (typeof q.options)[number]) => (o.share !== null ? tr.percent(Math.round(o.share * 100)) : '–');
          const meta = [answered, q.mean !== null ? t('report.pollMean', { mean: tr.number(q.mean, 1) }) : null].filter(Boolean).join(' · ');
          const table = dataTable(q.text, [t('report.option'), t('report.count'), t('report.share')], q.options.map((o) => [o.label, o.count, percent(o)]));
          return h(
            'div',
            { class: 'report-poll' },
            h('h4', { text: q.text }),
            h('p', { class: 'muted', text: meta }),
            figure('bars', q.options.length, table, pending, (canvas) =>
              drawer.bars(canvas, q.options.map((o) => o.label), q.options.map((o) => o.count), q.options.map((o) => `${tr.number(o.count)} (${percent(o)})`), t('report.count')),
            ),
          );
        }),
      );
    }),
  );
}

// ---- what they wrote: word clouds and the top questions (tables) ----

function cloudsSection(data: ReportData): HTMLElement {
  if (data.clouds.length === 0) return section('report.clouds', h('p', { i18n: 'report.noClouds' }));
  return section(
    'report.clouds',
    ...data.clouds.map((cloud) => {
      const hidden = cloud.words.filter((w) => w.hidden).length;
      const words = topWords(cloud);
      return h(
        'div',
        { class: 'report-cloud' },
        h('h3', { text: cloud.prompt }),
        h('p', { class: 'muted', text: [t('report.cloudMeta', { contributors: cloud.contributors, entries: cloud.entries }), hidden ? t('report.hiddenWords', { count: hidden }) : null].filter(Boolean).join(' · ') }),
        words.length
          ? scrollable(dataTable(t('report.topWords', { prompt: cloud.prompt }), [t('report.word'), t('report.count')], words.map((w) => [w.text, w.count])))
          : h('p', { i18n: 'report.nothing' }),
      );
    }),
  );
}

function questionsSection(data: ReportData): HTMLElement {
  const top = topQuestions(data);
  if (top.length === 0) return section('report.questions', h('p', { i18n: 'report.noQuestions' }));
  return section(
    'report.questions',
    scrollable(
      dataTable(
        t('report.questionsCaption'),
        [t('report.question'), t('report.upvotes'), t('report.answered')],
        top.map((q) => [q.text, q.upvotes, t(q.answered ? 'report.yes' : 'report.no')]),
      ),
    ),
  );
}
