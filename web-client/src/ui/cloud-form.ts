import { ApiError, validateCloudDraft, type NewCloud } from '../lib/api';
import type { MessageKey } from '../lib/i18n';
import { clearText, h, setText } from './dom';

const ERROR_KEYS: Record<string, MessageKey> = {
  'prompt.required': 'cloudForm.error.promptRequired',
  'prompt.tooLong': 'cloudForm.error.promptTooLong',
  'maxEntries.range': 'cloudForm.error.maxEntries',
};

/** The form that creates a word cloud (REST), with the API's rules checked first. */
export class CloudForm {
  readonly el: HTMLFormElement;
  private readonly prompt: HTMLTextAreaElement;
  private readonly max: HTMLInputElement;
  private readonly visible: HTMLInputElement;
  private readonly open: HTMLInputElement;
  private readonly errors = new Map<string, HTMLElement>();
  private readonly formError: HTMLElement;
  private busy = false;

  constructor(private readonly options: { idPrefix: string; openByDefault: boolean; create(cloud: NewCloud): Promise<unknown>; created?(): void; /** Edit mode: starts with this cloud, says "save", offers "cancel". */ initial?: NewCloud; cancel?(): void }) {
    const id = (name: string) => `${options.idPrefix}-${name}`;
    this.prompt = h('textarea', { id: id('prompt'), class: 'input', rows: '2', maxlength: '300' });
    this.max = h('input', { id: id('max'), class: 'input input-narrow', type: 'number', min: '1', max: '10', value: '3', inputmode: 'numeric' });
    this.visible = h('input', { id: id('visible'), type: 'checkbox' });
    this.open = h('input', { id: id('open'), type: 'checkbox', checked: options.openByDefault });
    this.formError = h('p', { class: 'form-error', role: 'alert' });
    const field = (name: string, label: MessageKey, control: HTMLElement, hint: MessageKey) => {
      const error = h('p', { id: id(`${name}-error`), class: 'field-error', hidden: true });
      this.errors.set(name, error);
      control.setAttribute('aria-describedby', `${id(`${name}-hint`)} ${id(`${name}-error`)}`);
      return h('div', { class: 'field' }, h('label', { htmlFor: control.id, class: 'label', i18n: label }), h('p', { class: 'hint', id: id(`${name}-hint`), i18n: hint }), control, error);
    };
    this.el = h(
      'form',
      { class: 'cloud-form', novalidate: true, on: { submit: (e) => this.onSubmit(e) } },
      field('prompt', 'cloudForm.prompt', this.prompt, 'cloudForm.promptHint'),
      field('maxEntries', 'cloudForm.maxEntries', this.max, 'cloudForm.maxEntriesHint'),
      h(
        'div',
        { class: 'checks' },
        h('div', { class: 'check' }, this.visible, h('label', { htmlFor: this.visible.id, i18n: 'cloudForm.resultsVisible' })),
        options.initial ? null : h('div', { class: 'check' }, this.open, h('label', { htmlFor: this.open.id, i18n: 'cloudForm.openNow' })),
      ),
      this.formError,
      h(
        'div',
        { class: 'form-actions' },
        h('button', { type: 'submit', class: 'button button-primary', i18n: options.initial ? 'organiser.save' : 'cloudForm.submit' }),
        options.cancel ? h('button', { type: 'button', class: 'button button-secondary', i18n: 'organiser.cancel', on: { click: () => options.cancel?.() } }) : null,
      ),
    );
    if (options.initial) {
      this.prompt.value = options.initial.prompt;
      this.max.value = String(options.initial.maxEntries ?? 3);
      this.visible.checked = options.initial.resultsVisible ?? false;
    }
  }

  focus(): void {
    this.prompt.focus();
  }

  private onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    if (this.busy) return;
    for (const el of this.errors.values()) {
      el.hidden = true;
      el.textContent = '';
    }
    this.prompt.removeAttribute('aria-invalid');
    this.max.removeAttribute('aria-invalid');
    clearText(this.formError);
    const draft = validateCloudDraft({ prompt: this.prompt.value, maxEntries: this.max.value, resultsVisible: this.visible.checked, open: this.open.checked });
    if (!draft.cloud) {
      for (const error of draft.errors) {
        const el = this.errors.get(error.field)!;
        setText(el, ERROR_KEYS[`${error.field}.${error.problem}`]);
        el.hidden = false;
        (error.field === 'prompt' ? this.prompt : this.max).setAttribute('aria-invalid', 'true');
      }
      (draft.errors[0].field === 'prompt' ? this.prompt : this.max).focus();
      return;
    }
    this.busy = true;
    const cloud = draft.cloud;
    // An edit changes the cloud, it does not open it.
    if (this.options.initial) delete cloud.open;
    this.options
      .create(cloud)
      .then(
        () => {
          if (this.options.initial) return;
          this.prompt.value = '';
          this.options.created?.();
          this.prompt.focus();
        },
        (error: unknown) => {
          setText(this.formError, 'cloudForm.error.server', { detail: error instanceof ApiError ? error.message : String(error) });
        },
      )
      .finally(() => {
        this.busy = false;
      });
  }
}
