import { ApiError } from '../lib/api';
import type { PlenumEvent } from '../lib/protocol';
import { h, setText, uniqueId } from './dom';

/**
 * The organiser's passcode of an event (issue 12; PATCH events/{id} `passcode`): a field with the
 * current passcode, save and remove. The status line says whether the event is open or closed and
 * what a save did; a refusal keeps the field and shows the reason.
 */
export class EventPasscodeBox {
  readonly el: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly state: HTMLElement;
  private readonly status: HTMLElement;
  private readonly remove: HTMLButtonElement;

  constructor(
    event: PlenumEvent,
    private readonly save: (passcode: string | null) => Promise<PlenumEvent>,
  ) {
    const id = uniqueId(`passcode-${event.id}`);
    this.input = h('input', {
      id,
      type: 'text',
      class: 'input',
      autocomplete: 'off',
      spellcheck: 'false',
      maxlength: '64',
      'aria-describedby': `${id}-hint ${id}-state ${id}-status`,
    });
    this.input.value = event.passcode ?? '';
    this.state = h('p', { class: 'hint', id: `${id}-state` });
    this.status = h('p', { class: 'settings-status', role: 'status', id: `${id}-status` });
    this.remove = h('button', { type: 'button', class: 'button', i18n: 'passcode.organiser.remove', on: { click: () => this.store(null) } });
    const form = h(
      'form',
      {
        class: 'event-passcode-form',
        novalidate: true,
        on: {
          submit: (e) => {
            e.preventDefault();
            const value = this.input.value.trim();
            if (value.length < 4 || value.length > 64) {
              this.input.setAttribute('aria-invalid', 'true');
              setText(this.status, 'passcode.organiser.error.length');
              this.input.focus();
              return;
            }
            this.store(value);
          },
        },
      },
      h('label', { htmlFor: id, class: 'label', i18n: 'passcode.organiser.label' }),
      this.input,
      h(
        'div',
        { class: 'form-actions' },
        h('button', { type: 'submit', class: 'button button-primary', i18n: 'passcode.organiser.save' }),
        this.remove,
      ),
    );
    this.el = h(
      'div',
      { class: 'setting event-passcode' },
      h('h3', { i18n: 'passcode.organiser.heading' }),
      h('p', { class: 'hint', id: `${id}-hint`, i18n: 'passcode.organiser.intro' }),
      form,
      this.state,
      this.status,
    );
    this.showState(event);
  }

  private store(value: string | null): void {
    this.input.removeAttribute('aria-invalid');
    setText(this.status, 'settings.saving');
    this.save(value).then(
      (event) => {
        this.input.value = event.passcode ?? '';
        this.showState(event);
        setText(this.status, event.passcodeRequired ? 'passcode.organiser.saved' : 'passcode.organiser.removed');
      },
      (error: unknown) => {
        setText(this.status, 'common.failed', { detail: error instanceof ApiError ? error.message : String(error) });
      },
    );
  }

  private showState(event: PlenumEvent): void {
    setText(this.state, event.passcodeRequired ? 'passcode.organiser.closed' : 'passcode.organiser.open');
    this.remove.hidden = !event.passcodeRequired;
  }
}
