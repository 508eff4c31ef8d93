import type { MessageKey } from '../lib/i18n';
import { h, setText } from './dom';

/** Asks for the organiser token (kept in this tab's session storage only). */
export function loginForm(options: { error: MessageKey | null; onSubmit(token: string): void }): HTMLElement {
  const input = h('input', {
    id: 'login-token',
    name: 'token',
    type: 'password',
    class: 'input',
    autocomplete: 'off',
    spellcheck: 'false',
    'aria-describedby': 'login-token-hint login-token-error',
  });
  const error = h('p', { id: 'login-token-error', class: 'field-error', hidden: true });
  const showError = (key: MessageKey | null) => {
    if (key) {
      setText(error, key);
      error.hidden = false;
      input.setAttribute('aria-invalid', 'true');
    } else {
      error.hidden = true;
      input.removeAttribute('aria-invalid');
    }
  };
  const form = h(
    'form',
    {
      class: 'card login-form',
      novalidate: true,
      on: {
        submit: (e) => {
          e.preventDefault();
          const token = input.value.trim();
          if (!token) {
            showError('login.error.empty');
            input.focus();
            return;
          }
          options.onSubmit(token);
        },
      },
    },
    h('h2', { i18n: 'login.heading' }),
    h('label', { htmlFor: 'login-token', class: 'label', i18n: 'login.tokenLabel' }),
    h('p', { id: 'login-token-hint', class: 'hint', i18n: 'login.tokenHint' }),
    input,
    error,
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'button button-primary', i18n: 'login.submit' })),
  );
  showError(options.error);
  queueMicrotask(() => input.focus());
  return form;
}
