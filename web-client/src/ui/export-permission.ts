import { ApiError } from '../lib/api';
import type { PlenumEvent } from '../lib/protocol';
import { h, setText, uniqueId } from './dom';

/**
 * The organiser's per-event switch "moderators may download exports" (`moderatorsMayExport`,
 * PATCH events/{id}; default off). Saved at each change and said in the status line; a refusal
 * puts the box back and shows the server's message.
 */
export class ExportPermissionBox {
  readonly el: HTMLElement;
  private readonly box: HTMLInputElement;
  private readonly status: HTMLElement;

  constructor(
    event: PlenumEvent,
    private readonly save: (allowed: boolean) => Promise<PlenumEvent>,
  ) {
    const id = uniqueId(`may-export-${event.id}`);
    this.box = h('input', { type: 'checkbox', id, 'aria-describedby': `${id}-hint`, on: { change: () => this.change() } });
    this.box.checked = event.moderatorsMayExport === true;
    this.status = h('p', { class: 'settings-status', role: 'status' });
    this.el = h(
      'div',
      { class: 'setting export-permission' },
      h('div', { class: 'check' }, this.box, h('label', { htmlFor: id, i18n: 'organiser.moderatorsMayExport' })),
      h('p', { class: 'hint', id: `${id}-hint`, i18n: 'organiser.moderatorsMayExportHint' }),
      this.status,
    );
  }

  private change(): void {
    const value = this.box.checked;
    this.box.setAttribute('aria-disabled', 'true');
    setText(this.status, 'settings.saving');
    this.save(value).then(
      (event) => {
        this.box.checked = event.moderatorsMayExport === true;
        setText(this.status, 'settings.saved');
      },
      (error: unknown) => {
        this.box.checked = !value;
        setText(this.status, 'common.failed', { detail: error instanceof ApiError ? error.message : String(error) });
      },
    ).finally(() => this.box.removeAttribute('aria-disabled'));
  }
}
