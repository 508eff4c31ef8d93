import { t } from '../lib/i18n';
import type { PollOption } from '../lib/protocol';
import { h, setPlainText } from './dom';

/**
 * A viewer's order of a ranking poll's options, best first. Three ways to move an option, all
 * ending in the same announcement ("… is now at rank 2 of 4", aria-live): drag it by its handle
 * (pointer events, so mouse, pen and touch alike; the handle has touch-action: none so a drag does
 * not scroll the page), or the "up"/"down" buttons of each row (keyboard, switch access), which
 * keep the focus on the moved option.
 */
export class RankingOrder {
  readonly el: HTMLElement;
  private readonly list: HTMLOListElement;
  private readonly live: HTMLElement;
  private readonly rows = new Map<string, { li: HTMLLIElement; position: HTMLElement; up: HTMLButtonElement; down: HTMLButtonElement; label: string }>();
  private dragging: { id: string; pointerId: number } | null = null;

  constructor(
    private readonly idPrefix: string,
    options: readonly PollOption[],
    initial: readonly string[] | null,
  ) {
    this.list = h('ol', { class: 'ranking-list', role: 'list' });
    this.live = h('p', { class: 'sr-only', 'aria-live': 'polite', id: `${idPrefix}-rank-live` });
    const byId = new Map(options.map((o) => [o.id, o]));
    const order = initial && initial.length === options.length && initial.every((id) => byId.has(id)) ? initial : options.map((o) => o.id);
    for (const id of order) {
      const option = byId.get(id);
      if (option) this.list.append(this.createRow(option));
    }
    this.el = h('div', { class: 'ranking' }, this.list, this.live);
    this.renumber();
  }

  /** The current order, best first (option ids). */
  order(): string[] {
    return [...this.list.children].map((li) => (li as HTMLElement).dataset.optionId ?? '');
  }

  /** Texts again in the current language. */
  refresh(): void {
    this.renumber();
  }

  /** Moves an option by {@code delta} places (−1 up, +1 down) and says where it is now. */
  move(id: string, delta: number): void {
    const order = this.order();
    const from = order.indexOf(id);
    const to = Math.max(0, Math.min(order.length - 1, from + delta));
    if (from < 0 || to === from) return;
    this.placeAt(id, to);
    this.announce(id);
  }

  private placeAt(id: string, index: number): void {
    const row = this.rows.get(id);
    if (!row) return;
    const others = [...this.list.children].filter((li) => li !== row.li);
    this.list.insertBefore(row.li, others[index] ?? null);
    this.renumber();
  }

  private announce(id: string): void {
    const row = this.rows.get(id);
    if (!row) return;
    const order = this.order();
    setPlainText(this.live, t('ranking.moved', { label: row.label, position: order.indexOf(id) + 1, total: order.length }));
  }

  private createRow(option: PollOption): HTMLLIElement {
    const position = h('span', { class: 'ranking-position' });
    const handle = h('span', { class: 'ranking-handle', 'aria-hidden': 'true' }, '⠿');
    const up = h('button', { type: 'button', class: 'button button-small button-secondary ranking-up', on: { click: () => this.buttonMove(option.id, -1) } }, '↑');
    const down = h('button', { type: 'button', class: 'button button-small button-secondary ranking-down', on: { click: () => this.buttonMove(option.id, 1) } }, '↓');
    const li = h(
      'li',
      { class: 'ranking-item', 'data-option-id': option.id, id: `${this.idPrefix}-rank-${option.id}` },
      handle,
      position,
      h('span', { class: 'ranking-label' }, option.label),
      h('span', { class: 'ranking-moves' }, up, down),
    );
    handle.addEventListener('pointerdown', (e) => this.dragStart(option.id, e));
    li.addEventListener('pointermove', (e) => this.dragMove(e));
    li.addEventListener('pointerup', (e) => this.dragEnd(e));
    li.addEventListener('pointercancel', (e) => this.dragEnd(e));
    this.rows.set(option.id, { li, position, up, down, label: option.label });
    return li;
  }

  private buttonMove(id: string, delta: number): void {
    this.move(id, delta);
    const row = this.rows.get(id);
    if (!row) return;
    // keep the focus on the option; at an end the pressed button is disabled, so take its twin
    const pressed = delta < 0 ? row.up : row.down;
    (pressed.disabled ? (delta < 0 ? row.down : row.up) : pressed).focus();
  }

  private dragStart(id: string, e: PointerEvent): void {
    const row = this.rows.get(id);
    if (!row || (e.pointerType === 'mouse' && e.button !== 0)) return;
    e.preventDefault();
    this.dragging = { id, pointerId: e.pointerId };
    row.li.setPointerCapture?.(e.pointerId);
    row.li.classList.add('is-dragging');
  }

  private dragMove(e: PointerEvent): void {
    const drag = this.dragging;
    if (!drag || e.pointerId !== drag.pointerId) return;
    e.preventDefault();
    // the option goes before the first other row whose middle is below the pointer
    const others = [...this.list.children].filter((li) => (li as HTMLElement).dataset.optionId !== drag.id);
    let index = others.length;
    for (let i = 0; i < others.length; i++) {
      const box = others[i].getBoundingClientRect();
      if (e.clientY < box.top + box.height / 2) {
        index = i;
        break;
      }
    }
    if (this.order().indexOf(drag.id) !== index) this.placeAt(drag.id, index);
  }

  private dragEnd(e: PointerEvent): void {
    const drag = this.dragging;
    if (!drag || e.pointerId !== drag.pointerId) return;
    this.dragging = null;
    const row = this.rows.get(drag.id);
    row?.li.classList.remove('is-dragging');
    row?.li.releasePointerCapture?.(e.pointerId);
    this.announce(drag.id);
  }

  private renumber(): void {
    const order = this.order();
    order.forEach((id, i) => {
      const row = this.rows.get(id);
      if (!row) return;
      setPlainText(row.position, t('ranking.position', { position: i + 1 }));
      row.up.disabled = i === 0;
      row.down.disabled = i === order.length - 1;
      row.up.setAttribute('aria-label', t('ranking.up', { label: row.label }));
      row.down.setAttribute('aria-label', t('ranking.down', { label: row.label }));
    });
  }
}
