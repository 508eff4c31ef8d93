import { ApiError } from '../lib/api';
import { i18n, t, type MessageKey } from '../lib/i18n';
import { currentTalk, formatTalkTime, fromLocalInput, sortTalks, toLocalInput, validateTalkDraft, type NewTalk, type Talk, type TalkDraftError } from '../lib/talks';
import { h, setText, uniqueId } from './dom';

export interface TalkEditorDeps {
  list(): Promise<Talk[]>;
  create(talk: NewTalk): Promise<Talk>;
  update(talkId: string, talk: NewTalk): Promise<Talk>;
  remove(talkId: string): Promise<void>;
  announce(text: string): void;
  /** Turns a failed request into text; may sign the person out (then returns ''). */
  explain(error: unknown): string;
  /** Asks before a deletion: window.confirm by default, or a dialog (then a promise). */
  confirm?(question: string): boolean | Promise<boolean>;
  now?(): number;
}

type Field = 'title' | 'speakers' | 'startsAt' | 'endsAt';

/**
 * The organiser's programme of one stage: the talks in order (the running one marked), a form
 * to add one, and edit/delete per talk. Times are typed and shown in the browser's time zone.
 */
export class TalkEditor {
  readonly el: HTMLElement;
  private readonly list = h('ol', { class: 'plain-list talk-list' });
  private readonly empty = h('p', { class: 'muted', i18n: 'common.loading' });
  private readonly details: HTMLDetailsElement;
  private readonly summary: HTMLElement;
  private readonly form: HTMLFormElement;
  private readonly inputs: Record<Field, HTMLInputElement>;
  private readonly errors: Record<Field, HTMLElement>;
  private readonly formError = h('p', { class: 'form-error', role: 'alert' });
  private readonly submit: HTMLButtonElement;
  private readonly cancel: HTMLButtonElement;
  private talks: Talk[] = [];
  private editing: Talk | null = null;

  constructor(
    idPrefix: string,
    private readonly deps: TalkEditorDeps,
  ) {
    const field = (name: Field, label: MessageKey, type: string, extra: Record<string, unknown> = {}) => {
      const id = `${idPrefix}-${name}`;
      const input = h('input', { id, name, type, class: 'input', autocomplete: 'off', 'aria-describedby': `${id}-error`, ...extra });
      const error = h('p', { id: `${id}-error`, class: 'field-error', hidden: true });
      return { input, error, box: h('div', { class: `field talk-field talk-field-${name}` }, h('label', { htmlFor: id, class: 'label', i18n: label }), input, error) };
    };
    const title = field('title', 'talks.title', 'text', { maxlength: '200', required: true });
    const speakers = field('speakers', 'talks.speakers', 'text', { maxlength: '300' });
    const startsAt = field('startsAt', 'talks.startsAt', 'datetime-local', { required: true, 'aria-describedby': `${idPrefix}-zone ${idPrefix}-startsAt-error` });
    const endsAt = field('endsAt', 'talks.endsAt', 'datetime-local', { required: true, 'aria-describedby': `${idPrefix}-zone ${idPrefix}-endsAt-error` });
    this.inputs = { title: title.input, speakers: speakers.input, startsAt: startsAt.input, endsAt: endsAt.input };
    this.errors = { title: title.error, speakers: speakers.error, startsAt: startsAt.error, endsAt: endsAt.error };
    // A new talk usually lasts 45 minutes: the end follows the start until someone sets it.
    startsAt.input.addEventListener('change', () => {
      const start = fromLocalInput(startsAt.input.value);
      if (start && !endsAt.input.value) endsAt.input.value = toLocalInput(Date.parse(start) + 45 * 60_000);
    });
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC';
    this.submit = h('button', { type: 'submit', class: 'button button-primary', i18n: 'talks.create' });
    this.cancel = h('button', { type: 'button', class: 'button button-secondary', i18n: 'talks.cancel', hidden: true, on: { click: () => this.stopEditing(true) } });
    this.form = h(
      'form',
      { class: 'talk-form', novalidate: true, on: { submit: (e) => (e.preventDefault(), void this.save()) } },
      title.box,
      speakers.box,
      h('div', { class: 'talk-times' }, startsAt.box, endsAt.box),
      h('p', { class: 'hint', id: `${idPrefix}-zone`, i18n: 'talks.timeHint', i18nParams: { zone } }),
      this.formError,
      h('div', { class: 'form-actions' }, this.submit, this.cancel),
    );
    this.summary = h('summary', { i18n: 'talks.add' });
    this.details = h('details', { class: 'create-poll create-talk' }, this.summary, this.form);
    this.el = h('div', { class: 'talk-editor' }, this.empty, this.list, this.details);
    void this.reload();
  }

  async reload(): Promise<void> {
    try {
      this.render(await this.deps.list());
    } catch (error) {
      this.empty.hidden = false;
      this.empty.textContent = this.deps.explain(error) || t('common.loadFailed');
    }
  }

  /** Re-renders with the language (dates) or time (the running talk) as it is now. */
  refresh(): void {
    this.render(this.talks);
  }

  render(talks: Talk[]): void {
    this.talks = sortTalks(talks);
    this.empty.hidden = this.talks.length > 0;
    setText(this.empty, 'talks.none');
    const now = currentTalk(this.talks, this.deps.now?.() ?? Date.now());
    const lang = i18n().lang;
    this.list.replaceChildren(
      ...this.talks.map((talk) => {
        const titleId = uniqueId('talk');
        const running = talk.id === now?.id;
        return h(
          'li',
          { class: running ? 'talk-item is-current' : 'talk-item', 'data-talk-id': talk.id, 'aria-labelledby': titleId },
          h('p', { class: 'talk-time' }, h('span', { text: formatTalkTime(talk, lang) }), running ? h('span', { class: 'badge badge-open talk-now', i18n: 'talks.now' }) : null),
          h('p', { class: 'talk-title', id: titleId, text: talk.title }),
          talk.speakers ? h('p', { class: 'muted talk-speakers', text: talk.speakers }) : null,
          h(
            'div',
            { class: 'talk-actions' },
            h('button', { type: 'button', class: 'button button-small button-secondary', 'aria-describedby': titleId, i18n: 'talks.edit', 'data-action': 'edit', on: { click: () => this.startEditing(talk) } }),
            h('button', { type: 'button', class: 'button button-small button-danger', 'aria-describedby': titleId, i18n: 'talks.delete', 'data-action': 'delete', on: { click: () => void this.remove(talk) } }),
          ),
        );
      }),
    );
  }

  private startEditing(talk: Talk): void {
    this.editing = talk;
    this.clearErrors();
    this.inputs.title.value = talk.title;
    this.inputs.speakers.value = talk.speakers ?? '';
    this.inputs.startsAt.value = toLocalInput(talk.startsAt);
    this.inputs.endsAt.value = toLocalInput(talk.endsAt);
    setText(this.summary, 'talks.editHeading');
    setText(this.submit, 'talks.save');
    this.cancel.hidden = false;
    this.details.open = true;
    this.inputs.title.focus();
  }

  private stopEditing(restoreFocus: boolean): void {
    const was = this.editing;
    this.editing = null;
    this.form.reset();
    this.clearErrors();
    setText(this.summary, 'talks.add');
    setText(this.submit, 'talks.create');
    this.cancel.hidden = true;
    if (was) {
      this.details.open = false;
      if (restoreFocus) this.focusTalk(was.id);
    }
  }

  private focusTalk(id: string): void {
    this.list.querySelector<HTMLButtonElement>(`li[data-talk-id="${CSS.escape(id)}"] [data-action=edit]`)?.focus();
  }

  private clearErrors(): void {
    this.formError.textContent = '';
    for (const name of Object.keys(this.inputs) as Field[]) {
      this.errors[name].hidden = true;
      this.inputs[name].removeAttribute('aria-invalid');
    }
  }

  private showErrors(errors: TalkDraftError[]): void {
    for (const e of errors) {
      setText(this.errors[e.field], `talks.error.${e.field}.${e.problem}` as MessageKey);
      this.errors[e.field].hidden = false;
      this.inputs[e.field].setAttribute('aria-invalid', 'true');
    }
    this.inputs[errors[0].field].focus();
  }

  private async save(): Promise<void> {
    this.clearErrors();
    const draft = validateTalkDraft({ title: this.inputs.title.value, speakers: this.inputs.speakers.value, startsAt: this.inputs.startsAt.value, endsAt: this.inputs.endsAt.value });
    if (!draft.talk) {
      this.showErrors(draft.errors);
      return;
    }
    this.submit.disabled = true;
    const editing = this.editing;
    try {
      const saved = editing ? await this.deps.update(editing.id, draft.talk) : await this.deps.create(draft.talk);
      this.deps.announce(t(editing ? 'talks.updated' : 'talks.created', { title: saved.title }));
      this.stopEditing(false);
      await this.reload();
      if (editing) this.focusTalk(saved.id);
      else this.inputs.title.focus();
    } catch (error) {
      const detail = this.deps.explain(error);
      if (detail) this.formError.textContent = error instanceof ApiError ? t('talks.error.server', { detail: error.message }) : detail;
    } finally {
      this.submit.disabled = false;
    }
  }

  private async remove(talk: Talk): Promise<void> {
    const ask = this.deps.confirm ?? ((q: string) => window.confirm(q));
    if (!(await ask(t('talks.confirmDelete', { title: talk.title })))) return;
    const index = this.talks.findIndex((x) => x.id === talk.id);
    try {
      await this.deps.remove(talk.id);
      if (this.editing?.id === talk.id) this.stopEditing(false);
      this.deps.announce(t('talks.deleted', { title: talk.title }));
      await this.reload();
      // The focus goes to the next talk (or the previous one, or the add form).
      const next = this.talks[Math.min(index, this.talks.length - 1)];
      if (next) this.focusTalk(next.id);
      else this.summary.focus();
    } catch (error) {
      const detail = this.deps.explain(error);
      if (detail) this.formError.textContent = detail;
    }
  }
}
