import { t, type MessageKey } from '../lib/i18n';
import type { PollState } from '../lib/protocol';
import { h, setText } from './dom';

/** How one poll or word cloud shows in the organiser's plan. */
export interface PlanEntry {
  id: string;
  state: PollState;
  /** The question or prompt: names the item in buttons and messages. */
  text: string;
  /** A muted note after the text (kind, words per person). */
  detail: string;
  detailKey?: MessageKey;
  detailParams?: Record<string, string | number>;
  /** Whether "edit" is offered (polls: drafts only). */
  editable: boolean;
}

export interface PlanListDeps<T> {
  /** For ids and the `data-kind` attribute: `poll` or `cloud`. */
  kind: string;
  describe(item: T): PlanEntry;
  /** Saves a new order (every id once); the list shows it once saved. */
  reorder(ids: string[]): Promise<unknown>;
  /** Creates a copy; resolves with the copy's id. */
  duplicate(item: T): Promise<string | null>;
  /** Asks (a dialog) and deletes; resolves false when the person cancelled. */
  remove(item: T): Promise<boolean>;
  /** The inline edit form; `done(saved)` closes it. */
  editor(item: T, done: (saved: boolean) => void): { el: HTMLElement; focus(): void };
  /** Reloads the items from the server (after a copy, an edit or a deletion). */
  reload(): Promise<T[]>;
  announce(text: string): void;
  explain(error: unknown): string;
}

/**
 * The polls or word clouds of a stage, in their order, each with "up", "down", "edit",
 * "duplicate" and "delete". Every control is a button with the item's name in its accessible
 * name; after a move the focus stays on the moved item's button, after a deletion it goes to
 * the next item. Server refusals are shown under the list.
 */
export class PlanList<T> {
  readonly list: HTMLUListElement;
  readonly error = h('p', { class: 'form-error plan-error', role: 'alert' });
  private items: T[] = [];
  private editing: string | null = null;

  constructor(
    listClass: string,
    private readonly deps: PlanListDeps<T>,
  ) {
    this.list = h('ul', { class: listClass });
  }

  ids(): string[] {
    return this.items.map((i) => this.deps.describe(i).id);
  }

  set(items: T[]): void {
    this.items = items;
    this.render();
  }

  private render(): void {
    const count = this.items.length;
    this.list.replaceChildren(
      ...this.items.map((item, index) => {
        const entry = this.deps.describe(item);
        const suffix = (key: MessageKey) => h('button', { type: 'button', class: 'button button-small button-secondary', 'data-action': key.split('.')[1], 'data-item': entry.id }, h('span', { i18n: key }), h('span', { class: 'sr-only', text: `: ${entry.text}` }));
        const up = suffix('organiser.moveUp');
        const down = suffix('organiser.moveDown');
        up.disabled = index === 0;
        down.disabled = index === count - 1;
        up.addEventListener('click', () => void this.move(index, -1));
        down.addEventListener('click', () => void this.move(index, +1));
        const edit = entry.editable ? suffix('organiser.edit') : null;
        edit?.addEventListener('click', () => this.startEditing(entry.id));
        const copy = suffix('organiser.duplicate');
        copy.addEventListener('click', () => void this.duplicate(item));
        const remove = suffix('organiser.delete');
        remove.classList.replace('button-secondary', 'button-danger');
        remove.addEventListener('click', () => void this.remove(item, index));
        const li = h(
          'li',
          { class: 'plan-item', 'data-id': entry.id },
          h(
            'div',
            { class: 'plan-item-text' },
            h('span', { class: `badge badge-${entry.state}`, i18n: `poll.state.${entry.state}` as MessageKey }),
            ' ',
            h('span', { class: 'plan-item-title', text: entry.text }),
            ' ',
            entry.detailKey ? h('span', { class: 'muted', i18n: entry.detailKey, i18nParams: entry.detailParams }) : h('span', { class: 'muted', text: entry.detail }),
          ),
          h('div', { class: 'plan-item-actions', role: 'group', i18nAttrs: { 'aria-label': 'organiser.itemActions' }, i18nParams: { name: entry.text } }, up, down, edit, copy, remove),
        );
        if (this.editing === entry.id) {
          const form = this.deps.editor(item, (saved) => void this.stopEditing(entry.id, saved));
          li.append(h('div', { class: 'plan-item-editor' }, form.el));
          queueMicrotask(() => form.focus());
        }
        return li;
      }),
    );
  }

  private button(id: string, action: string): HTMLButtonElement | null {
    return this.list.querySelector<HTMLButtonElement>(`button[data-item="${CSS.escape(id)}"][data-action="${action}"]`);
  }

  private showError(error: unknown): void {
    const detail = this.deps.explain(error);
    this.error.textContent = detail;
  }

  private async move(index: number, by: -1 | 1): Promise<void> {
    const target = index + by;
    if (target < 0 || target >= this.items.length) return;
    const moved = this.items[index];
    const order = [...this.items];
    order.splice(index, 1);
    order.splice(target, 0, moved);
    this.error.textContent = '';
    try {
      await this.deps.reorder(order.map((i) => this.deps.describe(i).id));
    } catch (error) {
      this.showError(error);
      return;
    }
    this.set(order);
    const entry = this.deps.describe(moved);
    // Keep the keyboard where it was: on the same button of the moved item, or its twin at an edge.
    const same = this.button(entry.id, by < 0 ? 'moveUp' : 'moveDown');
    (same && !same.disabled ? same : this.button(entry.id, by < 0 ? 'moveDown' : 'moveUp'))?.focus();
    this.deps.announce(t('organiser.moved', { name: entry.text, position: target + 1, count: order.length }));
  }

  private startEditing(id: string): void {
    this.editing = id;
    this.render();
  }

  private async stopEditing(id: string, saved: boolean): Promise<void> {
    this.editing = null;
    const entry = this.items.map((i) => this.deps.describe(i)).find((e) => e.id === id);
    if (saved) {
      await this.reloadQuietly();
      const now = this.items.map((i) => this.deps.describe(i)).find((e) => e.id === id);
      this.deps.announce(t('organiser.saved', { name: now?.text ?? entry?.text ?? '' }));
    } else {
      this.render();
    }
    this.button(id, 'edit')?.focus();
  }

  private async duplicate(item: T): Promise<void> {
    const entry = this.deps.describe(item);
    this.error.textContent = '';
    try {
      const copyId = await this.deps.duplicate(item);
      await this.reloadQuietly();
      this.deps.announce(t('organiser.duplicated', { name: entry.text }));
      (this.button(copyId ?? entry.id, 'duplicate') ?? this.button(entry.id, 'duplicate'))?.focus();
    } catch (error) {
      this.showError(error);
    }
  }

  private async remove(item: T, index: number): Promise<void> {
    const entry = this.deps.describe(item);
    this.error.textContent = '';
    let removed: boolean;
    try {
      removed = await this.deps.remove(item);
    } catch (error) {
      this.showError(error);
      return;
    }
    if (!removed) return;
    await this.reloadQuietly();
    this.deps.announce(t('organiser.deleted', { name: entry.text }));
    const next = this.items[Math.min(index, this.items.length - 1)];
    if (next) this.button(this.deps.describe(next).id, 'delete')?.focus();
  }

  private async reloadQuietly(): Promise<void> {
    try {
      this.set(await this.deps.reload());
    } catch (error) {
      this.showError(error);
    }
  }

  /** For a "nothing planned" note next to the list. */
  get size(): number {
    return this.items.length;
  }

  setStatus(el: HTMLElement, emptyKey: MessageKey): void {
    el.hidden = this.items.length > 0;
    if (this.items.length === 0) setText(el, emptyKey);
  }
}
