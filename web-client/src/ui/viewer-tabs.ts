import { t, type MessageKey } from '../lib/i18n';
import { h, setText } from './dom';

export interface TabSpec<Id extends string> {
  id: Id;
  label: MessageKey;
  /** The panel's content; the tab set wraps it in its `role=tabpanel` element. */
  panel: HTMLElement;
}

export interface TabSetOptions<Id extends string> {
  /** Accessible name of the tab list. */
  label: MessageKey;
  /** Called after a tab became the selected one (by the person or by `select`). */
  selected?: (id: Id) => void;
}

interface Tab {
  button: HTMLButtonElement;
  badge: HTMLElement;
  panel: HTMLElement;
  cued: boolean;
}

/**
 * WAI-ARIA tabs (https://www.w3.org/WAI/ARIA/apg/patterns/tabs/) with automatic activation:
 * the arrow keys move between tabs and show their panel, Home and End jump to the first and last
 * tab; only the selected tab is in the Tab order (roving tabindex), so Tab leads on into its panel.
 * All panels stay in the document (hidden ones with `hidden`), so live updates reach them and a
 * language switch translates them too.
 *
 * A tab can be *cued*: something new happened in it while it was not selected (a poll opened).
 * It gets a visible badge that is also part of its accessible name ("Polls, new"); selecting the
 * tab clears it. Cueing never moves the focus.
 */
export class TabSet<Id extends string> {
  readonly tablist: HTMLElement;
  readonly panels: HTMLElement[];
  private readonly tabs = new Map<Id, Tab>();
  private readonly order: Id[];
  private current: Id;

  constructor(
    specs: ReadonlyArray<TabSpec<Id>>,
    initial: Id,
    private readonly options: TabSetOptions<Id>,
  ) {
    this.order = specs.map((s) => s.id);
    this.current = this.order.includes(initial) ? initial : this.order[0];
    this.tablist = h('div', { class: 'viewer-tabs', role: 'tablist', i18nAttrs: { 'aria-label': options.label } });
    this.panels = [];
    for (const spec of specs) {
      const badge = h('span', { class: 'tab-badge', hidden: true, i18n: 'vtabs.new' });
      const button = h(
        'button',
        {
          type: 'button',
          role: 'tab',
          id: `tab-${spec.id}`,
          class: 'viewer-tab',
          'aria-controls': spec.id,
          'data-tab': spec.id,
          on: {
            click: () => this.select(spec.id),
            keydown: (e) => this.onKey(e, spec.id),
          },
        },
        h('span', { class: 'tab-label', i18n: spec.label }),
        // A space, so that the accessible name reads "Polls New", not "PollsNew".
        ' ',
        badge,
      );
      const panel = spec.panel;
      panel.id = spec.id;
      panel.setAttribute('role', 'tabpanel');
      panel.setAttribute('aria-labelledby', button.id);
      // Focusable, so that Tab from the tab reaches the panel even when it starts with text.
      panel.tabIndex = 0;
      this.tabs.set(spec.id, { button, badge, panel, cued: false });
      this.tablist.append(button);
      this.panels.push(panel);
    }
    this.render();
  }

  get selected(): Id {
    return this.current;
  }

  has(id: string): id is Id {
    return this.tabs.has(id as Id);
  }

  /** Shows the tab's panel; `focus` moves the keyboard focus to the tab (arrow keys do that). */
  select(id: Id, focus = false): void {
    if (!this.tabs.has(id)) return;
    const changed = id !== this.current;
    this.current = id;
    this.tabs.get(id)!.cued = false;
    this.render();
    if (focus) this.tabs.get(id)!.button.focus();
    if (changed) this.options.selected?.(id);
  }

  /** Marks a tab that is not selected as having something new; returns whether it did. */
  cue(id: Id): boolean {
    const tab = this.tabs.get(id);
    if (!tab || id === this.current) return false;
    tab.cued = true;
    this.render();
    return true;
  }

  isCued(id: Id): boolean {
    return this.tabs.get(id)?.cued ?? false;
  }

  /** The tab's name in the current language, for announcements ("… in the Polls tab"). */
  labelOf(id: Id): string {
    const key = this.tabs.get(id)?.button.querySelector<HTMLElement>('.tab-label')?.dataset.i18n as MessageKey | undefined;
    return key ? t(key) : id;
  }

  private onKey(e: KeyboardEvent, from: Id): void {
    const index = this.order.indexOf(from);
    let next: number;
    switch (e.key) {
      case 'ArrowRight':
        next = (index + 1) % this.order.length;
        break;
      case 'ArrowLeft':
        next = (index - 1 + this.order.length) % this.order.length;
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = this.order.length - 1;
        break;
      default:
        return;
    }
    e.preventDefault();
    this.select(this.order[next], true);
  }

  private render(): void {
    for (const [id, tab] of this.tabs) {
      const selected = id === this.current;
      tab.button.setAttribute('aria-selected', String(selected));
      tab.button.tabIndex = selected ? 0 : -1;
      tab.panel.hidden = !selected;
      tab.badge.hidden = !tab.cued;
      tab.button.classList.toggle('is-cued', tab.cued);
      if (tab.cued && tab.badge.dataset.i18n !== 'vtabs.new') setText(tab.badge, 'vtabs.new');
    }
  }
}
