import type { MessageKey } from '../lib/i18n';
import type { SafeStorage } from '../lib/storage';
import { h, setText } from './dom';

/**
 * A closed event's passcode on the viewer page (issue 12). The passcode a person typed is kept in
 * `sessionStorage` (per tab, forgotten when the tab closes, never in `localStorage`) and sent with
 * every join, so reconnects and rejoins need no retyping; the server checks it on each of them
 * (docs/protocol.md#closed-events). A wrong or changed one is forgotten and asked for again.
 */
export const PASSCODE_KEY = 'plenum.passcode';

export class RememberedPasscode {
  constructor(private readonly storage: SafeStorage) {}

  get(): string | null {
    const value = this.storage.get(PASSCODE_KEY);
    return value && value.trim() ? value : null;
  }

  set(passcode: string): void {
    this.storage.set(PASSCODE_KEY, passcode.trim());
  }

  forget(): void {
    this.storage.remove(PASSCODE_KEY);
  }
}

/** Refusal codes that mean "ask the person for the passcode". */
export function needsPasscode(code: string | undefined): boolean {
  return code === 'passcode_required' || code === 'wrong_passcode';
}

export type PasscodeProblem = 'passcode.error.wrong' | 'passcode.changed' | null;

/**
 * The prompt: a labelled field with its hint and error tied to it (aria-describedby,
 * aria-invalid), an alert for a wrong or changed passcode, focus in the field. {@code submit}
 * gets the trimmed passcode; an empty one is refused here with its own message.
 */
export function passcodeForm(problem: PasscodeProblem, submit: (passcode: string) => void, back: string): HTMLElement {
  const errorId = 'passcode-error';
  const input = h('input', {
    id: 'passcode',
    name: 'passcode',
    type: 'text',
    class: 'input',
    autocomplete: 'off',
    autocapitalize: 'off',
    spellcheck: 'false',
    maxlength: '64',
    'aria-describedby': `passcode-hint ${errorId}`,
  });
  const errorText = h('p', { id: errorId, class: 'field-error', hidden: true });
  const setError = (key: MessageKey | null) => {
    if (key) {
      setText(errorText, key);
      errorText.hidden = false;
      input.setAttribute('aria-invalid', 'true');
    } else {
      errorText.hidden = true;
      errorText.textContent = '';
      input.removeAttribute('aria-invalid');
    }
  };
  const form = h(
    'form',
    {
      class: 'card join-form passcode-form',
      novalidate: true,
      on: {
        submit: (e) => {
          e.preventDefault();
          const value = input.value.trim();
          if (!value) {
            setError('passcode.error.empty');
            input.focus();
            return;
          }
          submit(value);
        },
      },
    },
    h('label', { htmlFor: 'passcode', class: 'label', i18n: 'passcode.label' }),
    h('p', { id: 'passcode-hint', class: 'hint', i18n: 'passcode.hint' }),
    input,
    errorText,
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'button button-primary', i18n: 'passcode.submit' })),
  );
  const wrap = h(
    'div',
    { class: 'wrap narrow' },
    h('h1', { i18n: 'passcode.heading' }),
    h('p', { class: 'lead', i18n: 'passcode.intro' }),
    form,
    h('p', {}, h('a', { href: back, i18n: 'passcode.back' })),
    h('p', { class: 'privacy-note', i18n: 'join.privacy' }),
  );
  setError(problem);
  // focus once the form is in the document
  queueMicrotask(() => input.focus());
  return wrap;
}
