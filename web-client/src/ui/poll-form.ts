import { ApiError, validatePollDraft, type NewPoll, type PollDraftError } from '../lib/api';
import type { MessageKey } from '../lib/i18n';
import { h, setText } from './dom';

export interface PollFormOptions {
  /** Unique per page, for ids. */
  idPrefix: string;
  /** Whether "open at once" starts checked (moderators: yes; planning ahead: no). */
  openByDefault: boolean;
  create(poll: NewPoll): Promise<unknown>;
  /** Told after a poll was created (for an announcement). */
  created?(poll: NewPoll): void;
  /** Edit mode: the form starts with this poll, says "save", has no "open now" and offers "cancel". */
  initial?: NewPoll;
  cancel?(): void;
}

const ERROR_KEYS: Record<string, MessageKey> = {
  'question.required': 'pollForm.error.questionRequired',
  'question.tooLong': 'pollForm.error.questionTooLong',
  'options.tooFew': 'pollForm.error.optionsTooFew',
  'options.tooMany': 'pollForm.error.optionsTooMany',
  'options.duplicate': 'pollForm.error.optionsDuplicate',
  'options.tooLong': 'pollForm.error.optionsTooLong',
  'maxSelections.range': 'pollForm.error.maxRange',
  'correct.range': 'pollForm.error.correctRange',
};

/** The form that creates a poll through the REST API, with the API's rules checked first. */
export class PollForm {
  readonly el: HTMLFormElement;
  private readonly kind: HTMLSelectElement;
  private readonly question: HTMLTextAreaElement;
  private readonly options: HTMLTextAreaElement;
  private readonly max: HTMLInputElement;
  private readonly scale: HTMLSelectElement;
  private readonly visible: HTMLInputElement;
  private readonly open: HTMLInputElement;
  private readonly optionsField: HTMLElement;
  private readonly maxField: HTMLElement;
  private readonly scaleField: HTMLElement;
  private readonly correct: HTMLInputElement;
  private readonly correctField: HTMLElement;
  private readonly formError: HTMLElement;
  private readonly submit: HTMLButtonElement;
  private readonly fieldErrors = new Map<string, HTMLElement>();
  private busy = false;

  constructor(private readonly options_: PollFormOptions) {
    const id = (name: string) => `${options_.idPrefix}-${name}`;
    this.kind = h(
      'select',
      { id: id('kind'), class: 'input', on: { change: () => this.showKindFields() } },
      h('option', { value: 'single', i18n: 'poll.kind.single' }),
      h('option', { value: 'multiple', i18n: 'poll.kind.multiple' }),
      h('option', { value: 'rating', i18n: 'poll.kind.rating' }),
      h('option', { value: 'ranking', i18n: 'poll.kind.ranking' }),
      h('option', { value: 'text', i18n: 'poll.kind.text' }),
      h('option', { value: 'quiz', i18n: 'poll.kind.quiz' }),
    );
    this.correct = h('input', { id: id('correct'), class: 'input input-narrow', type: 'text', inputmode: 'numeric', autocomplete: 'off' });
    this.question = h('textarea', { id: id('question'), class: 'input', rows: '2', maxlength: '300', required: true });
    this.options = h('textarea', { id: id('options'), class: 'input', rows: '4' });
    this.max = h('input', { id: id('max'), class: 'input input-narrow', type: 'number', min: '1', max: '20', inputmode: 'numeric' });
    this.scale = h('select', { id: id('scale'), class: 'input input-narrow' }, h('option', { value: '5', text: '1–5' }), h('option', { value: '10', text: '1–10' }));
    this.visible = h('input', { id: id('visible'), type: 'checkbox' });
    this.open = h('input', { id: id('open'), type: 'checkbox', checked: options_.openByDefault });

    const field = (name: string, label: MessageKey, control: HTMLElement, hint?: MessageKey) => {
      const error = h('p', { id: id(`${name}-error`), class: 'field-error', hidden: true });
      this.fieldErrors.set(name, error);
      const describedBy = [hint ? id(`${name}-hint`) : null, id(`${name}-error`)].filter(Boolean).join(' ');
      control.setAttribute('aria-describedby', describedBy);
      return h('div', { class: 'field' }, h('label', { htmlFor: control.id, class: 'label', i18n: label }), hint ? h('p', { id: id(`${name}-hint`), class: 'hint', i18n: hint }) : null, control, error);
    };
    this.optionsField = field('options', 'pollForm.options', this.options, 'pollForm.optionsHint');
    this.maxField = field('maxSelections', 'pollForm.maxSelections', this.max, 'pollForm.maxSelectionsHint');
    this.scaleField = field('scale', 'pollForm.scale', this.scale);
    this.correctField = field('correct', 'pollForm.correct', this.correct, 'pollForm.correctHint');
    this.formError = h('p', { class: 'form-error', role: 'alert' });
    this.submit = h('button', { type: 'submit', class: 'button button-primary', i18n: options_.initial ? 'organiser.save' : 'pollForm.submit' });
    const cancel = options_.cancel ? h('button', { type: 'button', class: 'button button-secondary', i18n: 'organiser.cancel', on: { click: () => options_.cancel?.() } }) : null;
    this.el = h(
      'form',
      { class: 'poll-form', novalidate: true, on: { submit: (e) => this.onSubmit(e) } },
      h('div', { class: 'field-row' }, field('kind', 'pollForm.kind', this.kind), this.scaleField, this.maxField),
      field('question', 'pollForm.question', this.question),
      this.optionsField,
      this.correctField,
      h(
        'div',
        { class: 'checks' },
        h('div', { class: 'check' }, this.visible, h('label', { htmlFor: this.visible.id, i18n: 'pollForm.resultsVisible' })),
        options_.initial ? null : h('div', { class: 'check' }, this.open, h('label', { htmlFor: this.open.id, i18n: 'pollForm.openNow' })),
      ),
      this.formError,
      h('div', { class: 'form-actions' }, this.submit, cancel),
    );
    if (options_.initial) {
      this.fill(options_.initial);
      // A poll keeps its kind: the server edits question, options, limits and visibility only.
      this.kind.disabled = true;
    }
    this.showKindFields();
  }

  private fill(poll: NewPoll): void {
    this.kind.value = poll.kind;
    this.question.value = poll.question;
    this.options.value = (poll.options ?? []).join('\n');
    this.max.value = poll.maxSelections ? String(poll.maxSelections) : '';
    this.scale.value = poll.scale === 10 ? '10' : '5';
    this.visible.checked = poll.resultsVisible ?? false;
  }

  focus(): void {
    this.question.focus();
  }

  private showKindFields(): void {
    const kind = this.kind.value;
    this.optionsField.hidden = kind === 'rating' || kind === 'text';
    this.maxField.hidden = kind !== 'multiple';
    this.scaleField.hidden = kind !== 'rating';
    this.correctField.hidden = kind !== 'quiz';
  }

  private clearErrors(): void {
    for (const [name, el] of this.fieldErrors) {
      el.hidden = true;
      el.textContent = '';
      delete el.dataset.i18n;
      this.control(name)?.removeAttribute('aria-invalid');
    }
    this.formError.textContent = '';
    delete this.formError.dataset.i18n;
  }

  private control(name: string): HTMLElement | null {
    return ({ kind: this.kind, question: this.question, options: this.options, maxSelections: this.max, scale: this.scale, correct: this.correct } as Record<string, HTMLElement>)[name] ?? null;
  }

  private showErrors(errors: PollDraftError[]): void {
    for (const error of errors) {
      const el = this.fieldErrors.get(error.field);
      if (!el) continue;
      setText(el, ERROR_KEYS[`${error.field}.${error.problem}`]);
      el.hidden = false;
      this.control(error.field)?.setAttribute('aria-invalid', 'true');
    }
    this.control(errors[0].field)?.focus();
  }

  private onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    if (this.busy) return;
    this.clearErrors();
    const draft = validatePollDraft({
      kind: this.kind.value,
      question: this.question.value,
      optionsText: this.options.value,
      maxSelections: this.max.value,
      scale: this.scale.value,
      resultsVisible: this.visible.checked,
      open: this.open.checked,
      correctText: this.correct.value,
    });
    if (!draft.poll) {
      this.showErrors(draft.errors);
      return;
    }
    const poll = draft.poll;
    // An edit changes the poll, it does not open it.
    if (this.options_.initial) delete poll.open;
    this.busy = true;
    this.submit.setAttribute('aria-disabled', 'true');
    this.options_.create(poll).then(
      () => {
        if (this.options_.initial) return;
        this.question.value = '';
        this.options.value = '';
        this.max.value = '';
        this.options_.created?.(poll);
        this.question.focus();
      },
      (error: unknown) => {
        const detail = error instanceof ApiError ? error.message : String(error);
        setText(this.formError, 'pollForm.error.server', { detail });
      },
    ).finally(() => {
      this.busy = false;
      this.submit.removeAttribute('aria-disabled');
    });
  }
}
