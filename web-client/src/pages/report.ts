import '../styles/base.css';
import '../styles/report.css';
import { ApiError, PlenumApi, type ExportScope } from '../lib/api';
import { ORGANISER_TOKEN_KEY, takeTokenFromFragment } from '../lib/auth';
import { i18n, onLanguageChange, t, type MessageKey } from '../lib/i18n';
import { parseExport, tablesIn, talksOf, type ReportData } from '../lib/report-data';
import { safeStorage } from '../lib/storage';
import { initLanguage, mountChrome } from '../ui/chrome';
import { h, setText, uniqueId } from '../ui/dom';
import { loginForm } from '../ui/login';
import { barChart, destroyCharts, resizeCharts, timeChart } from '../ui/report-charts';
import { renderReport, type ChartDrawer } from '../ui/report-view';

/**
 * The printable report of one event (`report.html?event=ID[&talk=ID]`): summary, viewers over
 * time, participation per talk, interactions by kind and every poll's result, each chart with a
 * table; and the export downloads. Data: the event's JSON export, read with lib/report-data.
 */
initLanguage();
const chrome = mountChrome({ pageName: 'page.report', bodyClass: 'page-report' });
const session = safeStorage('session');
let token = takeTokenFromFragment(location, history, session);
const api = new PlenumApi(location.href, () => token);
const params = new URLSearchParams(location.search);
const eventId = params.get('event');
let talkId: string | null = params.get('talk');
const pageBase = new URL('./', location.href);

const drawer: ChartDrawer = {
  time: (canvas, series, peak, formatTime, yTitle) => void timeChart(canvas, series, peak, formatTime, yTitle),
  bars: (canvas, labels, values, valueLabels, datasetLabel) => void barChart(canvas, labels, values, valueLabels, datasetLabel),
};

// The print layout has another width: redraw every chart for it, and again afterwards.
window.addEventListener('beforeprint', resizeCharts);
window.addEventListener('afterprint', resizeCharts);
window.matchMedia?.('print').addEventListener?.('change', resizeCharts);

/** The report shown now: redrawn in the new language on a switch (one listener for the page's life). */
let current: ReportPage | null = null;
onLanguageChange(() => current?.render());

if (!token) showLogin(null);
else void load();

function showLogin(error: MessageKey | null): void {
  chrome.main.replaceChildren(
    h(
      'div',
      { class: 'wrap narrow' },
      h('h1', { i18n: 'page.report' }),
      loginForm({
        error,
        onSubmit: (value) => {
          token = value;
          session.set(ORGANISER_TOKEN_KEY, value);
          void load();
        },
      }),
    ),
  );
}

async function load(): Promise<void> {
  if (!eventId) {
    chrome.main.replaceChildren(h('div', { class: 'wrap' }, h('h1', { i18n: 'moderator.eventNotFound' }), h('p', {}, h('a', { href: new URL('organiser.html', pageBase).toString(), i18n: 'organiser.allEvents' }))));
    return;
  }
  chrome.main.replaceChildren(h('div', { class: 'wrap' }, h('h1', { i18n: 'common.loading' })));
  let json: unknown;
  let data: ReportData;
  try {
    json = await api.exportJson(eventId);
    data = parseExport(json);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      token = null;
      session.remove(ORGANISER_TOKEN_KEY);
      showLogin('login.error.invalid');
      return;
    }
    chrome.main.replaceChildren(
      h(
        'div',
        { class: 'wrap' },
        h('h1', { i18n: error instanceof ApiError && error.status === 404 ? 'moderator.eventNotFound' : 'page.report' }),
        h('p', { class: 'form-error', role: 'alert', text: t('report.loadFailed', { detail: error instanceof Error ? error.message : String(error) }) }),
        h('p', {}, h('a', { href: new URL('organiser.html', pageBase).toString(), i18n: 'organiser.allEvents' })),
      ),
    );
    return;
  }
  if (talkId && !talksOf(data).some((x) => x.id === talkId)) talkId = null;
  const page = new ReportPage(data, tablesIn(json));
  chrome.main.replaceChildren(page.el);
  page.render();
  current = page;
}


class ReportPage {
  readonly el: HTMLElement;
  private readonly heading = h('h1', {});
  private readonly meta = h('p', { class: 'report-meta' });
  private readonly scopeLine = h('p', { class: 'report-scope-line' });
  private readonly body = h('div', { class: 'report-body' });
  private readonly select: HTMLSelectElement;

  constructor(
    private readonly data: ReportData,
    tables: string[],
  ) {
    const selectId = uniqueId('report-scope');
    this.select = h('select', { id: selectId, class: 'input', 'aria-describedby': `${selectId}-hint`, on: { change: () => this.choose(this.select.value || null) } });
    const printButton = h('button', { type: 'button', class: 'button button-primary', i18n: 'report.print', on: { click: () => window.print() } });
    this.el = h(
      'div',
      { class: 'wrap report' },
      h('p', { class: 'breadcrumb no-print' }, h('a', { href: new URL(`organiser.html?event=${encodeURIComponent(data.eventId)}`, pageBase).toString(), i18n: 'report.backToConsole' })),
      this.heading,
      this.meta,
      this.scopeLine,
      h(
        'div',
        { class: 'report-controls no-print card' },
        h('div', { class: 'field' }, h('label', { htmlFor: selectId, class: 'label', i18n: 'report.scope' }), this.select, h('p', { class: 'hint', id: `${selectId}-hint`, i18n: 'report.scopeHint' })),
        h('div', { class: 'form-actions' }, printButton),
      ),
      this.body,
      downloadsSection(data, tables),
    );
  }

  private choose(id: string | null): void {
    talkId = id;
    const url = new URL(location.href);
    if (id) url.searchParams.set('talk', id);
    else url.searchParams.delete('talk');
    history.replaceState(history.state, '', url.toString());
    this.render();
  }

  /** (Re)draws everything in the current language and scope. */
  render(): void {
    const data = this.data;
    chrome.setTitle(() => t('report.heading', { event: data.eventName }));
    this.heading.textContent = t('report.heading', { event: data.eventName });
    const exported = Date.parse(data.exportedAt);
    this.meta.textContent = Number.isFinite(exported) ? t('report.exportedAt', { time: new Intl.DateTimeFormat(i18n().lang, { dateStyle: 'long', timeStyle: 'short' }).format(exported) }) : '';
    const talk = talkId ? talksOf(data).find((x) => x.id === talkId) : null;
    const stageName = (stageId: string) => data.stages.find((s) => s.id === stageId)?.name ?? '';
    this.scopeLine.textContent = `${t('report.scope')}: ${talk ? t('report.scopeTalk', { stage: stageName(talk.stageId), talk: talk.title }) : t('report.scopeEvent')}`;
    this.select.replaceChildren(
      h('option', { value: '', i18n: 'report.scopeEvent' }),
      ...data.stages
        .filter((s) => s.talks.length > 0)
        .map((s) => {
          const group = h('optgroup', {}, ...talksOf({ ...data, stages: [s] }).map((x) => h('option', { value: x.id, text: x.title })));
          group.label = s.name;
          return group;
        }),
    );
    this.select.value = talkId ?? '';
    destroyCharts();
    const report = renderReport(data, talkId, drawer);
    this.body.replaceChildren(...report.sections);
    report.drawCharts();
  }
}

// ---- downloads: fetched with the Bearer token, handed over as a Blob ----

function downloadsSection(data: ReportData, tables: string[]): HTMLElement {
  const status = h('p', { class: 'download-status', role: 'status' });
  const scopeId = uniqueId('download-scope');
  // The event, each stage, and each talk of a stage (its own export route): `stage:ID`, `talk:STAGE:TALK`.
  const scope = h(
    'select',
    { id: scopeId, class: 'input' },
    h('option', { value: '', i18n: 'report.scopeEvent' }),
    ...data.stages.map((s) => {
      const group = h(
        'optgroup',
        {},
        h('option', { value: `stage:${s.id}`, i18n: 'report.downloadScopeStage', i18nParams: { stage: s.name } }),
        ...talksOf({ ...data, stages: [s] }).map((x) => h('option', { value: `talk:${s.id}:${x.id}`, 'data-talk-id': x.id, i18n: 'report.downloadScopeTalk', i18nParams: { talk: x.title } })),
      );
      group.label = s.name;
      return group;
    }),
  );
  const talkOption = talkId ? data.stages.flatMap((s) => (s.talks.some((x) => x.id === talkId) ? [`talk:${s.id}:${talkId}`] : []))[0] : undefined;
  if (talkOption) scope.value = talkOption;
  const scopeOf = (): ExportScope => {
    const [what, stageId, talk] = scope.value.split(':');
    if (what === 'talk') return { stageId, talkId: talk };
    if (what === 'stage') return { stageId };
    return { eventId: data.eventId };
  };
  const button = (key: MessageKey, query: Record<string, string>, params?: Record<string, string>) =>
    h('button', { type: 'button', class: 'button button-secondary download-button', 'data-format': query.format, 'data-kind': query.kind, 'data-separator': query.separator, i18n: key, i18nParams: params, on: { click: () => void download(query, scopeOf(), status) } });
  const jsonl = h('li', {}, button('report.download.jsonl', { format: 'jsonl' }));
  const tableName = (x: string) => {
    const key = `report.table.${x}` as MessageKey;
    return t(key) === key ? x : t(key);
  };
  // The table's name is a parameter of the button's text: translated again on a language switch.
  const csvButtons: Array<{ el: HTMLElement; key: MessageKey; table: string }> = [];
  const csvButton = (key: MessageKey, query: Record<string, string>) => {
    const el = button(key, query, { table: tableName(query.kind) });
    csvButtons.push({ el, key, table: query.kind });
    return el;
  };
  onLanguageChange(() => csvButtons.forEach((b) => setText(b.el, b.key, { table: tableName(b.table) })));
  const id = uniqueId('downloads-h');
  return h(
    'section',
    { class: 'report-downloads no-print', 'aria-labelledby': id },
    h('h2', { id, i18n: 'report.downloads' }),
    h('p', { class: 'hint', i18n: 'report.downloadsHint' }),
    h('div', { class: 'field' }, h('label', { htmlFor: scopeId, class: 'label', i18n: 'report.downloadScope' }), scope),
    h('ul', { class: 'download-list' }, h('li', {}, button('report.download.json', { format: 'json' })), h('li', {}, button('report.download.xlsx', { format: 'xlsx' })), jsonl),
    h('h3', { i18n: 'report.download.csvHeading' }),
    h(
      'ul',
      { class: 'download-list' },
      ...tables.flatMap((x) => [
        h('li', {}, csvButton('report.download.csv', { format: 'csv', kind: x })),
        h('li', {}, csvButton('report.download.csvSemicolon', { format: 'csv', kind: x, separator: 'semicolon' })),
      ]),
    ),
    status,
  );
}

async function download(query: Record<string, string>, scope: ExportScope, status: HTMLElement): Promise<void> {
  const what = query.kind ? `${query.format.toUpperCase()} ${query.kind}` : query.format.toUpperCase();
  status.classList.remove('form-error');
  setText(status, 'report.downloading', { file: what });
  try {
    const { blob, filename } = await api.exportFile(scope, query);
    const url = URL.createObjectURL(blob);
    const a = h('a', { href: url, download: filename, class: 'sr-only', tabindex: '-1' });
    document.body.append(a);
    a.click();
    a.remove();
    // The browser has taken the file by then; the object URL is released.
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    setText(status, 'report.downloaded', { file: filename });
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      token = null;
      session.remove(ORGANISER_TOKEN_KEY);
      showLogin('login.error.invalid');
      return;
    }
    status.classList.add('form-error');
    setText(status, 'report.downloadFailed', { detail: error instanceof Error ? error.message : String(error) });
  }
}
