import { ApiError } from '../lib/api';
import { t, type MessageKey, type Params } from '../lib/i18n';
import { h, uniqueId } from './dom';

export interface ConfirmOptions {
  title: MessageKey;
  message: string;
  confirm: MessageKey;
  params?: Params;
  /** The person must type exactly this (an event's name) before the button works. */
  typeToConfirm?: string;
  /**
   * Runs on "confirm" with the dialog still open: a refusal is shown in the dialog (the server's
   * error.message), which stays open for another try or "cancel".
   */
  action?(): Promise<unknown>;
}

/**
 * A modal confirmation (native <dialog> with showModal: the rest of the page is inert, Escape
 * cancels, the focus stays inside and returns to where it was). Resolves true once confirmed
 * and, with an `action`, once that action succeeded; false on cancel.
 */
export function confirmDialog(options: ConfirmOptions): Promise<boolean> {
  const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const titleId = uniqueId('confirm-title');
  const messageId = uniqueId('confirm-message');
  const error = h('p', { class: 'form-error', role: 'alert' });
  const confirmButton = h('button', { type: 'submit', class: 'button button-danger', i18n: options.confirm, i18nParams: options.params });
  const cancelButton = h('button', { type: 'button', class: 'button button-secondary', i18n: 'organiser.cancel' });
  let input: HTMLInputElement | null = null;
  let typeField: HTMLElement | null = null;
  if (options.typeToConfirm !== undefined) {
    const inputId = uniqueId('confirm-type');
    input = h('input', { id: inputId, class: 'input', autocomplete: 'off', spellcheck: 'false', 'aria-describedby': `${inputId}-hint` });
    typeField = h(
      'div',
      { class: 'field' },
      h('label', { htmlFor: inputId, class: 'label', i18n: 'organiser.typeToConfirm', i18nParams: { name: options.typeToConfirm } }),
      h('p', { class: 'hint', id: `${inputId}-hint`, i18n: 'organiser.typeToConfirmHint' }),
      input,
    );
  }
  const form = h(
    'form',
    { method: 'dialog', class: 'confirm-form', novalidate: true },
    h('h2', { id: titleId, i18n: options.title, i18nParams: options.params }),
    h('p', { id: messageId, text: options.message }),
    typeField,
    error,
    h('div', { class: 'form-actions' }, confirmButton, cancelButton),
  );
  const dialog = h('dialog', { class: 'confirm-dialog', 'aria-labelledby': titleId, 'aria-describedby': messageId }, form);
  document.body.append(dialog);

  return new Promise<boolean>((resolve) => {
    let busy = false;
    let settled = false;
    const finish = (result: boolean) => {
      if (settled) return;
      settled = true;
      if (dialog.open) dialog.close();
      dialog.remove();
      if (opener && document.contains(opener)) opener.focus();
      resolve(result);
    };
    cancelButton.addEventListener('click', () => finish(false));
    dialog.addEventListener('cancel', (e) => {
      e.preventDefault();
      if (!busy) finish(false);
    });
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      if (busy) return;
      error.textContent = '';
      if (input && input.value.trim() !== options.typeToConfirm) {
        input.setAttribute('aria-invalid', 'true');
        error.textContent = t('organiser.typeToConfirmMismatch');
        input.focus();
        return;
      }
      input?.removeAttribute('aria-invalid');
      if (!options.action) {
        finish(true);
        return;
      }
      busy = true;
      confirmButton.setAttribute('aria-disabled', 'true');
      options.action().then(
        () => finish(true),
        (err: unknown) => {
          busy = false;
          confirmButton.removeAttribute('aria-disabled');
          error.textContent = t('organiser.actionFailed', { detail: err instanceof ApiError || err instanceof Error ? err.message : String(err) });
          (input ?? cancelButton).focus();
        },
      );
    });
    if (typeof dialog.showModal === 'function') dialog.showModal();
    else dialog.setAttribute('open', '');
    (input ?? cancelButton).focus();
  });
}
