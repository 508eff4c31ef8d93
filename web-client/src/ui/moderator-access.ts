import type { ModeratorAccess } from '../lib/api';
import { i18n, t } from '../lib/i18n';
import { h, setText, uniqueId } from './dom';
import { qrCode } from './qr-code';

export interface ModeratorAccessDeps {
  list(): Promise<ModeratorAccess[]>;
  create(label: string): Promise<ModeratorAccess & { token: string }>;
  remove(id: string): Promise<void>;
  /** The moderator dashboard's address with the token in the fragment. */
  link(token: string): string;
  announce(text: string): void;
  explain(error: unknown): string;
  confirm?(question: string): boolean;
  copy?(text: string): Promise<void>;
}

/** Checks a label as the server does (1–100 characters). */
export function accessLabelProblem(label: string): 'required' | 'tooLong' | null {
  const trimmed = label.trim();
  if (!trimmed) return 'required';
  return [...trimmed].length > 100 ? 'tooLong' : null;
}

/**
 * An event's moderator accesses: create one with a label (its link, with the token, is shown
 * once, as text and QR code, with a copy button), list them, revoke one.
 */
export class ModeratorAccessView {
  readonly el: HTMLElement;
  private readonly list = h('ul', { class: 'plain-list access-list' });
  private readonly empty = h('p', { class: 'muted', i18n: 'common.loading' });
  private readonly input: HTMLInputElement;
  private readonly fieldError: HTMLElement;
  private readonly status = h('p', { class: 'form-error', role: 'alert' });
  private readonly once = h('div', { class: 'access-once', hidden: true });
  private accesses: ModeratorAccess[] = [];

  constructor(
    idPrefix: string,
    private readonly deps: ModeratorAccessDeps,
  ) {
    const id = `${idPrefix}-label`;
    this.input = h('input', { id, class: 'input', maxlength: '100', autocomplete: 'off', required: true, 'aria-describedby': `${id}-hint ${id}-error` });
    this.fieldError = h('p', { id: `${id}-error`, class: 'field-error', hidden: true });
    const form = h(
      'form',
      { class: 'access-form', novalidate: true, on: { submit: (e) => (e.preventDefault(), void this.create()) } },
      h('label', { htmlFor: id, class: 'label', i18n: 'access.label' }),
      h('p', { class: 'hint', id: `${id}-hint`, i18n: 'access.labelHint' }),
      h('div', { class: 'input-with-button' }, this.input, h('button', { type: 'submit', class: 'button button-primary', i18n: 'access.create' })),
      this.fieldError,
      this.status,
    );
    this.el = h('div', { class: 'access-view' }, h('p', { class: 'hint', i18n: 'access.intro' }), form, this.once, this.empty, this.list);
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

  refresh(): void {
    this.render(this.accesses);
  }

  render(accesses: ModeratorAccess[]): void {
    this.accesses = accesses;
    this.empty.hidden = accesses.length > 0;
    setText(this.empty, 'access.none');
    const date = new Intl.DateTimeFormat(i18n().lang, { dateStyle: 'medium', timeStyle: 'short' });
    this.list.replaceChildren(
      ...accesses.map((access) => {
        const labelId = uniqueId('access');
        const created = Date.parse(access.createdAt);
        return h(
          'li',
          { class: 'access-item', 'data-access-id': access.id },
          h('span', { class: 'access-label', id: labelId, text: access.label }),
          ' ',
          Number.isNaN(created) ? null : h('span', { class: 'muted', text: t('access.createdAt', { date: date.format(created) }) }),
          ' ',
          h('button', { type: 'button', class: 'button button-small button-danger-outline', 'aria-describedby': labelId, i18n: 'access.revoke', on: { click: () => void this.revoke(access) } }),
        );
      }),
    );
  }

  private async create(): Promise<void> {
    const problem = accessLabelProblem(this.input.value);
    this.status.textContent = '';
    if (problem) {
      setText(this.fieldError, problem === 'required' ? 'access.error.required' : 'access.error.tooLong');
      this.fieldError.hidden = false;
      this.input.setAttribute('aria-invalid', 'true');
      this.input.focus();
      return;
    }
    this.fieldError.hidden = true;
    this.input.removeAttribute('aria-invalid');
    try {
      const access = await this.deps.create(this.input.value.trim());
      this.input.value = '';
      this.showOnce(access);
      this.deps.announce(t('access.created', { label: access.label }));
      await this.reload();
    } catch (error) {
      this.status.textContent = this.deps.explain(error);
    }
  }

  /** The new access's link, shown this one time: as text to copy, to open, and as QR code. */
  private showOnce(access: ModeratorAccess & { token: string }): void {
    const url = this.deps.link(access.token);
    const headingId = uniqueId('access-once');
    const inputId = `${headingId}-url`;
    const input = h('input', { id: inputId, class: 'input input-url', readonly: true, value: url, spellcheck: 'false' });
    const copy = h('button', {
      type: 'button',
      class: 'button button-small button-secondary',
      'aria-describedby': `${inputId}-label`,
      i18n: 'common.copy',
      on: {
        click: () => {
          const write = this.deps.copy ?? ((text: string) => (navigator.clipboard?.writeText ? navigator.clipboard.writeText(text) : Promise.reject(new Error('no clipboard'))));
          write(url).then(
            () => this.deps.announce(t('common.copied')),
            () => {
              input.focus();
              input.select();
            },
          );
        },
      },
    });
    const heading = h('h3', { id: headingId, tabindex: '-1', i18n: 'access.onceHeading', i18nParams: { label: access.label } });
    this.once.replaceChildren(
      h(
        'section',
        { class: 'card access-once-card', 'aria-labelledby': headingId },
        heading,
        h('p', { class: 'hint', i18n: 'access.onceHint' }),
        h(
          'div',
          { class: 'stage-links' },
          h(
            'div',
            { class: 'link-fields' },
            h(
              'div',
              { class: 'link-field' },
              h('label', { htmlFor: inputId, id: `${inputId}-label`, class: 'label', i18n: 'access.link' }),
              h('div', { class: 'input-with-button' }, input, copy, h('a', { href: url, target: '_blank', rel: 'noopener', class: 'button button-small button-secondary' }, h('span', { i18n: 'common.open' }), h('span', { class: 'new-tab', i18n: 'common.newTab' }))),
            ),
          ),
          h('figure', { class: 'qr-figure' }, qrCode(url, 'qr', 'access.qrAlt'), h('figcaption', { i18n: 'access.qrCaption' })),
        ),
        h('div', { class: 'form-actions' }, h('button', { type: 'button', class: 'button button-secondary', i18n: 'access.done', on: { click: () => this.hideOnce() } })),
      ),
    );
    this.once.hidden = false;
    heading.focus();
  }

  private hideOnce(): void {
    this.once.replaceChildren();
    this.once.hidden = true;
    this.input.focus();
  }

  private async revoke(access: ModeratorAccess): Promise<void> {
    const ask = this.deps.confirm ?? ((q: string) => window.confirm(q));
    if (!ask(t('access.confirmRevoke', { label: access.label }))) return;
    try {
      await this.deps.remove(access.id);
      this.deps.announce(t('access.revoked', { label: access.label }));
      await this.reload();
      const next = this.list.querySelector<HTMLButtonElement>('button');
      (next ?? this.input).focus();
    } catch (error) {
      this.status.textContent = this.deps.explain(error);
    }
  }
}
