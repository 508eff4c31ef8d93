import { ApiError } from '../lib/api';
import { t, type MessageKey } from '../lib/i18n';
import type { NewSurveyQuestion, Survey, SurveyQuestion, SurveyResults } from '../lib/survey';
import { sortTalks, type Talk } from '../lib/talks';
import { h, setText } from './dom';

/** What the dashboard needs from the REST API for a talk's survey. */
export interface SurveyDeps {
  load: (talkId: string) => Promise<{ survey: Survey; results: unknown } | null>;
  save: (talkId: string, questions: NewSurveyQuestion[]) => Promise<{ survey: Survey; results: unknown }>;
  command: (talkId: string, command: 'open' | 'close') => Promise<{ survey: Survey; results: unknown }>;
  announce: (text: string) => void;
}

/** How often the open results panel re-reads them (there is no push of survey results to moderators). */
export const RESULTS_POLL_MS = 4_000;

const ERRORS: Record<string, MessageKey> = {
  invalid_state: 'msurvey.error.hasResponses',
  invalid_field: 'msurvey.error.invalid',
  missing_field: 'msurvey.error.invalid',
};

/** A question while it is edited (options as labels). */
interface Draft {
  kind: SurveyQuestion['kind'];
  text: string;
  required: boolean;
  scale: number;
  options: string[];
}

/**
 * The "Feedback surveys" part of a stage panel (issue 12): one collapsible card per talk of the
 * programme with the survey's questions (add, remove, move up/down; rating 5/10, single or
 * multiple choice, open text; required), Save as draft, Open, Close, and the results. The results
 * are re-read over REST every few seconds while their <details> is open — moderators get no push
 * of survey results. Native controls only, so every step works by keyboard.
 */
export class ModeratorSurveys {
  readonly el: HTMLElement;
  private readonly list = h('div', { class: 'poll-list survey-list' });
  private readonly empty = h('p', { class: 'empty-state', i18n: 'talks.none' });
  private readonly cards = new Map<string, TalkSurveyCard>();

  constructor(private readonly deps: SurveyDeps) {
    this.el = h('div', { class: 'moderator-surveys' }, this.empty, this.list);
  }

  update(talks: readonly Talk[]): void {
    const sorted = sortTalks(talks);
    this.empty.hidden = sorted.length > 0;
    const seen = new Set<string>();
    for (const talk of sorted) {
      seen.add(talk.id);
      let card = this.cards.get(talk.id);
      if (!card) {
        card = new TalkSurveyCard(talk, this.deps);
        this.cards.set(talk.id, card);
      } else card.retitle(talk.title);
    }
    for (const [id, card] of this.cards) {
      if (!seen.has(id)) {
        card.stop();
        this.cards.delete(id);
      }
    }
    this.list.replaceChildren(...sorted.map((talk) => this.cards.get(talk.id)!.el));
  }

  stop(): void {
    for (const card of this.cards.values()) card.stop();
  }
}

export class TalkSurveyCard {
  readonly el: HTMLDetailsElement;
  private readonly title: HTMLElement;
  private readonly badge: HTMLElement;
  private readonly questionList = h('ol', { class: 'plain-list survey-questions' });
  private readonly status = h('p', { class: 'settings-status', role: 'status' });
  private readonly openButton: HTMLButtonElement;
  private readonly closeButton: HTMLButtonElement;
  private readonly results: HTMLDetailsElement;
  private readonly resultsBody = h('div', { class: 'survey-results' });
  private drafts: Draft[] = [];
  private survey: Survey | null = null;
  private loaded = false;
  private timer?: ReturnType<typeof setInterval>;
  private readonly prefix: string;

  constructor(
    readonly talk: Talk,
    private readonly deps: SurveyDeps,
  ) {
    this.prefix = `msurvey-${talk.id}`;
    this.title = h('span', { class: 'survey-talk', text: talk.title });
    this.badge = h('span', { class: 'badge', i18n: 'msurvey.none' });
    this.openButton = h('button', { type: 'button', class: 'button button-secondary', i18n: 'msurvey.open', on: { click: () => this.run('open') } });
    this.closeButton = h('button', { type: 'button', class: 'button button-secondary', i18n: 'msurvey.close', on: { click: () => this.run('close') } });
    this.results = h(
      'details',
      { class: 'survey-results-panel', on: { toggle: () => this.followResults() } },
      h('summary', { i18n: 'msurvey.results' }),
      this.resultsBody,
    );
    const addSelect = h(
      'select',
      { id: `${this.prefix}-add-kind` },
      ...(['rating', 'single', 'multiple', 'text'] as const).map((k) => h('option', { value: k, i18n: `msurvey.kind.${k}` as MessageKey })),
    );
    const form = h(
      'form',
      { class: 'survey-editor', novalidate: true, on: { submit: (e) => (e.preventDefault(), void this.save()) } },
      this.questionList,
      h(
        'div',
        { class: 'form-actions' },
        h('label', { htmlFor: addSelect.id, i18n: 'msurvey.newKind' }),
        addSelect,
        h('button', { type: 'button', class: 'button button-secondary', i18n: 'msurvey.add', on: { click: () => this.add(addSelect.value as Draft['kind']) } }),
      ),
      h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'button button-primary', i18n: 'msurvey.save' }), this.openButton, this.closeButton),
    );
    this.el = h(
      'details',
      { class: 'card survey-card-moderator', 'data-talk-id': talk.id, on: { toggle: () => this.el.open && this.ensureLoaded() } },
      h('summary', {}, this.title, ' ', this.badge),
      form,
      this.status,
      this.results,
    );
    this.renderState();
  }

  retitle(title: string): void {
    this.title.textContent = title;
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private ensureLoaded(): void {
    if (this.loaded) return;
    this.loaded = true;
    this.deps.load(this.talk.id).then(
      (answer) => {
        if (answer) this.apply(answer);
        else this.renderQuestions();
      },
      () => setText(this.status, 'common.loadFailed'),
    );
  }

  private apply(answer: { survey: Survey; results: unknown }): void {
    this.survey = answer.survey;
    this.drafts = answer.survey.questions.map((q) => ({
      kind: q.kind,
      text: q.text,
      required: q.required,
      scale: q.scale ?? 5,
      options: (q.options ?? []).map((o) => o.label),
    }));
    this.renderQuestions();
    this.renderState();
    this.renderResults(answer.results as SurveyResults | null);
  }

  private add(kind: Draft['kind']): void {
    this.drafts.push({ kind, text: '', required: false, scale: 5, options: kind === 'single' || kind === 'multiple' ? ['', ''] : [] });
    this.renderQuestions();
    this.focusField(this.drafts.length - 1, 'text');
  }

  private move(index: number, by: number): void {
    const to = index + by;
    if (to < 0 || to >= this.drafts.length) return;
    const [q] = this.drafts.splice(index, 1);
    this.drafts.splice(to, 0, q);
    this.renderQuestions();
    this.focusField(to, by < 0 ? 'up' : 'down');
    this.deps.announce(t('msurvey.moved', { position: to + 1 }));
  }

  private remove(index: number): void {
    this.drafts.splice(index, 1);
    this.renderQuestions();
    this.deps.announce(t('msurvey.removed'));
    this.focusField(Math.min(index, this.drafts.length - 1), 'text');
  }

  private focusField(index: number, field: string): void {
    if (index < 0) return;
    const el = document.getElementById(`${this.prefix}-${index}-${field}`) as HTMLElement | null;
    (el && !(el as HTMLButtonElement).disabled ? el : document.getElementById(`${this.prefix}-${index}-text`))?.focus();
  }

  private renderQuestions(): void {
    this.questionList.replaceChildren(...this.drafts.map((q, i) => this.questionRow(q, i)));
  }

  private questionRow(q: Draft, i: number): HTMLElement {
    const id = (f: string) => `${this.prefix}-${i}-${f}`;
    const text = h('input', { id: id('text'), type: 'text', maxlength: 300, value: q.text, on: { input: () => (q.text = text.value) } });
    const required = h('input', { id: id('required'), type: 'checkbox', checked: q.required, on: { change: () => (q.required = required.checked) } });
    const extra: HTMLElement[] = [];
    if (q.kind === 'rating') {
      const scale = h('select', { id: id('scale'), on: { change: () => (q.scale = Number(scale.value)) } }, h('option', { value: '5', text: '1–5' }), h('option', { value: '10', text: '1–10' }));
      scale.value = String(q.scale);
      extra.push(h('p', { class: 'field' }, h('label', { htmlFor: scale.id, i18n: 'msurvey.scale' }), scale));
    } else if (q.kind === 'single' || q.kind === 'multiple') {
      const options = h('textarea', { id: id('options'), rows: 3, value: q.options.join('\n'), 'aria-describedby': id('options-hint'), on: { input: () => (q.options = options.value.split('\n')) } });
      extra.push(h('p', { class: 'field' }, h('label', { htmlFor: options.id, i18n: 'msurvey.options' }), options, h('span', { class: 'hint', id: id('options-hint'), i18n: 'msurvey.optionsHint' })));
    }
    const button = (f: string, key: MessageKey, click: () => void, disabled = false) =>
      h('button', { type: 'button', id: id(f), class: 'button button-small button-secondary', i18n: key, disabled, 'aria-describedby': id('label'), on: { click } });
    return h(
      'li',
      { class: 'survey-question-edit' },
      h('fieldset', {}, h('legend', { id: id('label'), text: t('msurvey.questionN', { n: i + 1, kind: t(`msurvey.kind.${q.kind}` as MessageKey) }) }),
        h('p', { class: 'field' }, h('label', { htmlFor: text.id, i18n: 'msurvey.text' }), text),
        ...extra,
        h('p', { class: 'field field-check' }, required, h('label', { htmlFor: required.id, i18n: 'msurvey.requiredFlag' })),
        h(
          'div',
          { class: 'form-actions' },
          button('up', 'msurvey.up', () => this.move(i, -1), i === 0),
          button('down', 'msurvey.down', () => this.move(i, 1), i === this.drafts.length - 1),
          button('remove', 'msurvey.remove', () => this.remove(i)),
        ),
      ),
    );
  }

  private questions(): NewSurveyQuestion[] {
    return this.drafts.map((q) => {
      const base = { kind: q.kind, text: q.text.trim(), required: q.required };
      if (q.kind === 'rating') return { ...base, scale: q.scale };
      if (q.kind === 'single' || q.kind === 'multiple') return { ...base, options: q.options.map((o) => o.trim()).filter((o) => o) };
      return base;
    });
  }

  private async save(): Promise<void> {
    if (this.drafts.length === 0 || this.drafts.some((q) => !q.text.trim())) {
      setText(this.status, 'msurvey.error.empty');
      return;
    }
    try {
      this.apply(await this.deps.save(this.talk.id, this.questions()));
      setText(this.status, 'msurvey.saved');
    } catch (e) {
      this.fail(e);
    }
  }

  private async run(command: 'open' | 'close'): Promise<void> {
    try {
      this.apply(await this.deps.command(this.talk.id, command));
      setText(this.status, command === 'open' ? 'msurvey.opened' : 'msurvey.closed');
    } catch (e) {
      this.fail(e);
    }
  }

  private fail(e: unknown): void {
    const code = e instanceof ApiError ? e.code : '';
    const key = ERRORS[code] ?? 'msurvey.error.other';
    this.status.textContent = e instanceof ApiError && code === 'invalid_field' ? `${t(key)} ${e.message}` : t(key);
  }

  private renderState(): void {
    const state = this.survey?.state;
    setText(this.badge, state ? (`msurvey.state.${state}` as MessageKey) : 'msurvey.none');
    this.badge.className = `badge ${state === 'open' ? 'badge-open' : ''}`.trim();
    this.openButton.hidden = !state || state === 'open';
    this.closeButton.hidden = state !== 'open';
    this.results.hidden = !state;
  }

  private followResults(): void {
    this.stop();
    if (!this.results.open) return;
    const refresh = () =>
      this.deps.load(this.talk.id).then(
        (answer) => {
          if (!answer) return;
          this.survey = answer.survey;
          this.renderState();
          this.renderResults(answer.results as SurveyResults | null);
        },
        () => undefined,
      );
    void refresh();
    this.timer = setInterval(refresh, RESULTS_POLL_MS);
  }

  private renderResults(results: SurveyResults | null): void {
    if (!results || !this.survey) {
      this.resultsBody.replaceChildren();
      return;
    }
    this.resultsBody.replaceChildren(
      h('p', { class: 'survey-respondents', text: t('msurvey.respondents', { count: results.respondents }) }),
      ...this.survey.questions.map((q) => questionResult(q, results.questions.find((r) => r.questionId === q.id))),
    );
  }
}

/** One question's result: a table of counts with share bars, the mean of a rating, or the open texts. */
export function questionResult(q: SurveyQuestion, r: SurveyResults['questions'][number] | undefined): HTMLElement {
  const answered = r?.answered ?? 0;
  const head = h('h4', { text: q.text });
  const count = h('p', { class: 'hint', text: t('msurvey.answered', { count: answered }) });
  if (q.kind === 'text') {
    const texts = r?.texts ?? [];
    return h('section', { class: 'survey-result' }, head, count, texts.length ? h('ul', { class: 'survey-texts' }, ...texts.map((text) => h('li', { text }))) : h('p', { class: 'empty-state', i18n: 'msurvey.noTexts' }));
  }
  const rows: Array<[string, string]> =
    q.kind === 'rating' ? Array.from({ length: q.scale ?? 5 }, (_, i) => [String(i + 1), String(i + 1)]) : (q.options ?? []).map((o) => [o.id, o.label]);
  const total = Math.max(1, answered);
  const table = h(
    'table',
    { class: 'survey-result-table' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col', i18n: q.kind === 'rating' ? 'msurvey.value' : 'msurvey.option' }), h('th', { scope: 'col', i18n: 'msurvey.count' }), h('th', { scope: 'col', i18n: 'msurvey.share' }))),
    h(
      'tbody',
      {},
      ...rows.map(([key, label]) => {
        const n = r?.counts?.[key] ?? 0;
        const share = Math.round((n / total) * 100);
        return h(
          'tr',
          {},
          h('th', { scope: 'row', text: label }),
          h('td', { text: String(n) }),
          h('td', {}, h('span', { class: 'survey-bar', style: `inline-size:${share}%`, 'aria-hidden': 'true' }), ` ${share} %`),
        );
      }),
    ),
  );
  const mean = q.kind === 'rating' && r?.mean !== undefined && r.mean !== null ? h('p', { class: 'survey-mean', text: t('msurvey.mean', { mean: r.mean.toFixed(1), scale: q.scale ?? 5 }) }) : null;
  return h('section', { class: 'survey-result' }, head, count, mean, table);
}
