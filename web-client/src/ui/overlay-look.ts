import type { MessageKey } from '../lib/i18n';
import { DEFAULT_LOOK, OVERLAY_LAYOUTS, OVERLAY_SCALES, OVERLAY_THEMES, overlayLookParams, type OverlayLook } from '../lib/overlay-layout';
import { h } from './dom';

/**
 * Where the overlay link is offered (moderator dashboard, organiser console): position, colours
 * and size of the stream overlay. Every overlay link and link field in `scope` marked
 * `data-overlay-show="…"` follows the choice at once (`?layout=&theme=&scale=`, defaults left out).
 */
export class OverlayLookPicker {
  readonly el: HTMLElement;
  private look: OverlayLook = { ...DEFAULT_LOOK };

  constructor(
    idPrefix: string,
    private readonly scope: () => ParentNode | null,
    private readonly url: (show: string, params: Record<string, string>) => string,
  ) {
    const select = (field: keyof OverlayLook, label: MessageKey, options: ReadonlyArray<{ value: string; key: MessageKey; params?: Record<string, string | number> }>) => {
      // `-size`, not `-scale`: a rating poll's scale field on the same page ends in `-scale`.
      const id = `${idPrefix}-${field === 'scale' ? 'size' : field}`;
      const el = h('select', { id, class: 'input input-narrow', 'data-look': field, on: { change: () => this.set(field, el.value) } }, ...options.map((o) => h('option', { value: o.value, i18n: o.key, i18nParams: o.params })));
      el.value = String(this.look[field]);
      return h('label', { htmlFor: id }, h('span', { i18n: label }), el);
    };
    this.el = h(
      'fieldset',
      { class: 'overlay-look' },
      h('legend', { i18n: 'overlay.layoutLegend' }),
      h(
        'div',
        { class: 'overlay-look-fields' },
        select('layout', 'overlay.layout', OVERLAY_LAYOUTS.map((value) => ({ value, key: `overlay.layout.${value}` as MessageKey }))),
        select('theme', 'overlay.theme', OVERLAY_THEMES.map((value) => ({ value, key: `overlay.theme.${value}` as MessageKey }))),
        select('scale', 'overlay.scale', OVERLAY_SCALES.map((value) => ({ value: String(value), key: 'overlay.scale.option', params: { percent: Math.round(value * 100) } }))),
      ),
      h('p', { class: 'muted', i18n: 'overlay.layoutHelp' }),
    );
  }

  private set(field: keyof OverlayLook, value: string): void {
    this.look = { ...this.look, [field]: field === 'scale' ? Number(value) : value };
    this.apply();
  }

  /** Rewrites the marked links (also after the page re-created them). */
  apply(): void {
    const params = overlayLookParams(this.look);
    for (const el of this.scope()?.querySelectorAll<HTMLElement>('[data-overlay-show]') ?? []) {
      const href = this.url(el.dataset.overlayShow ?? 'poll', params);
      if (el instanceof HTMLAnchorElement) el.href = href;
      else if (el instanceof HTMLInputElement) el.value = href;
    }
  }
}
