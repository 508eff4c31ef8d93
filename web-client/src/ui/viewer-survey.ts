import { ActionError } from '../lib/connection';
import type { MessageKey } from '../lib/i18n';
import { missingRequired, type Survey, type SurveyAnswer, type SurveyQuestion } from '../lib/survey';
import { h, setText } from './dom';

const ERRORS: Record<string, MessageKey> = {
  survey_not_open: 'survey.error.closed',
  unknown_survey: 'survey.error.closed',
  missing_field: 'survey.error.required',
  invalid_option: 'survey.error.invalid',
  too_many_selections: 'survey.error.invalid',
  invalid_field: 'survey.error.invalid',
};

/**
 * The viewer's "Feedback" area (issue 12): the open survey of the stage's current talk as one
 * form, answered at the person's own pace and sent with one button; sending again replaces the
 * response while the survey is open. Native controls in fieldsets with legends (radio groups for
 * ratings and single choice, checkboxes for multiple choice, a textarea for open text), so it is
 * keyboard-operable and announced without extra ARIA; the status line says what happened.
 */
export class ViewerSurveyCard {
  readonly el: HTMLElement;
  private readonly status: HTMLElement;
  private readonly submit: HTMLButtonElement;
  private sent = false;

  constructor(
    readonly survey: Survey,
    talkTitle: string,
    private readonly send: (answers: Record<string, SurveyAnswer>) => Promise<unknown>,
  ) {
    const headingId = `survey-h-${survey.talkId}`;
    this.status = h('p', { class: 'settings-status', role: 'status' });
    this.submit = h('button', { type: 'submit', class: 'button button-primary', i18n: 'survey.submit' });
    const form = h(
      'form',
      { class: 'survey-form', novalidate: true, on: { submit: (e) => this.onSubmit(e, form) } },
      ...survey.questions.map((q) => question(survey.talkId, q)),
      h('div', { class: 'form-actions' }, this.submit),
      this.status,
    );
    this.el = h(
      'section',
      { class: 'card survey-card', 'aria-labelledby': headingId, 'data-talk-id': survey.talkId },
      h('h2', { id: headingId, i18n: 'survey.heading', i18nParams: { talk: talkTitle } }),
      h('p', { class: 'hint', i18n: 'survey.intro' }),
      form,
    );
  }

  private onSubmit(e: Event, form: HTMLFormElement): void {
    e.preventDefault();
    const answers = collect(this.survey, form);
    if (missingRequired(this.survey, answers).length) {
      setText(this.status, 'survey.error.required');
      return;
    }
    this.submit.setAttribute('aria-disabled', 'true');
    this.send(answers).then(
      () => {
        this.sent = true;
        setText(this.status, 'survey.sent');
        setText(this.submit, 'survey.resubmit');
      },
      (error: unknown) => {
        setText(this.status, (error instanceof ActionError && ERRORS[error.code]) || 'survey.error.other');
      },
    ).finally(() => this.submit.removeAttribute('aria-disabled'));
  }

  get hasSent(): boolean {
    return this.sent;
  }
}

function question(talkId: string, q: SurveyQuestion): HTMLElement {
  const name = `survey-${talkId}-${q.id}`;
  const legend = h('legend', {}, h('span', { text: q.required ? `${q.text} ` : q.text }), q.required ? h('span', { class: 'muted', i18n: 'survey.required' }) : null);
  if (q.kind === 'text') {
    const id = `${name}-text`;
    return h(
      'div',
      { class: 'survey-question', 'data-question': q.id },
      h('label', { htmlFor: id, class: 'label', text: q.text }),
      h('p', { id: `${id}-hint`, class: 'hint', i18n: 'survey.textHint', i18nParams: { max: q.maxLength ?? 500 } }),
      h('textarea', { id, name, class: 'input', rows: '3', maxlength: String(q.maxLength ?? 500), 'aria-describedby': `${id}-hint`, ...(q.required ? { required: true } : {}) }),
    );
  }
  const choices: Array<{ value: string; label: HTMLElement }> =
    q.kind === 'rating'
      ? Array.from({ length: q.scale ?? 5 }, (_, i) => ({ value: String(i + 1), label: h('span', { i18n: 'survey.ratingOf', i18nParams: { value: i + 1, scale: q.scale ?? 5 } }) }))
      : (q.options ?? []).map((o) => ({ value: o.id, label: h('span', { text: o.label }) }));
  const type = q.kind === 'multiple' ? 'checkbox' : 'radio';
  return h(
    'fieldset',
    { class: 'survey-question', 'data-question': q.id },
    legend,
    q.kind === 'multiple' && q.maxSelections ? h('p', { class: 'hint', i18n: 'survey.chooseUpTo', i18nParams: { max: q.maxSelections } }) : null,
    ...choices.map((c) => {
      const id = `${name}-${c.value}`;
      return h('div', { class: 'check' }, h('input', { type, id, name, value: c.value }), h('label', { htmlFor: id }, c.label));
    }),
  );
}

function collect(survey: Survey, form: HTMLFormElement): Record<string, SurveyAnswer> {
  const answers: Record<string, SurveyAnswer> = {};
  for (const q of survey.questions) {
    const name = `survey-${survey.talkId}-${q.id}`;
    if (q.kind === 'text') {
      const text = (form.querySelector(`textarea[name="${name}"]`) as HTMLTextAreaElement | null)?.value.trim() ?? '';
      if (text) answers[q.id] = { text };
      continue;
    }
    const checked = [...form.querySelectorAll<HTMLInputElement>(`input[name="${name}"]`)].filter((i) => i.checked).map((i) => i.value);
    if (!checked.length) continue;
    answers[q.id] = q.kind === 'rating' ? { rating: Number(checked[0]) } : { choices: checked };
  }
  return answers;
}

/**
 * Where the viewer page shows the survey of the stage's current talk: reloaded when the
 * programme changes, when the page (re)joins and once a minute (a moderator opening a survey
 * sends no push yet); a card already shown stays while its survey is open, so answers typed are
 * not lost to a reload.
 */
export class FeedbackArea {
  readonly el: HTMLElement = h('div', { class: 'survey-area' });
  private card: ViewerSurveyCard | null = null;
  private stageId: string | null = null;
  private talks: ReadonlyArray<{ id: string; title: string; startsAt: string; endsAt: string }> = [];

  constructor(
    private readonly load: (stageId: string, talkId: string) => Promise<Survey | null>,
    private readonly send: (talkId: string, answers: Record<string, SurveyAnswer>) => Promise<unknown>,
    private readonly current: (talks: ReadonlyArray<{ id: string; title: string; startsAt: string; endsAt: string }>) => { id: string; title: string } | null,
  ) {}

  update(stageId: string, talks?: ReadonlyArray<{ id: string; title: string; startsAt: string; endsAt: string }>): void {
    this.stageId = stageId;
    if (talks) this.talks = talks;
    this.refresh();
  }

  refresh(): void {
    const stageId = this.stageId;
    const talk = stageId ? this.current(this.talks) : null;
    if (!stageId || !talk) {
      this.show(null, '');
      return;
    }
    this.load(stageId, talk.id).then(
      (survey) => this.show(survey && survey.state === 'open' ? survey : null, talk.title),
      () => {
        /* optional: the page works without it */
      },
    );
  }

  private show(survey: Survey | null, title: string): void {
    if (!survey) {
      this.card = null;
      this.el.replaceChildren();
      return;
    }
    if (this.card && this.card.survey.talkId === survey.talkId) return;
    this.card = new ViewerSurveyCard(survey, title, (answers) => this.send(survey.talkId, answers));
    this.el.replaceChildren(this.card.el);
  }
}
