import { i18n } from '../lib/i18n';
import type { MessageKey } from '../lib/i18n';
import { h, setPlainText } from './dom';
import { reactionName } from './reaction-bar';

/** Reaction activity for the moderator: per emoji the total and what arrived in the last minute, as a table. */
export class ReactionActivityView {
  readonly el: HTMLElement;
  private readonly tbody: HTMLTableSectionElement;
  private readonly summary: HTMLElement;
  private readonly rows = new Map<string, { tr: HTMLTableRowElement; name: HTMLElement; recent: HTMLElement; total: HTMLElement }>();
  private last: { set: string[]; totals: Record<string, number>; recent: Record<string, number> } = { set: [], totals: {}, recent: {} };

  constructor(captionKey: MessageKey) {
    this.tbody = h('tbody');
    this.summary = h('p', { class: 'results-summary' });
    const th = (key: MessageKey, num = false) => h('th', { scope: 'col', class: num ? 'num' : undefined, i18n: key });
    this.el = h(
      'div',
      { class: 'reaction-activity' },
      h(
        'div',
        { class: 'table-scroll' },
        h('table', { class: 'word-table' }, h('caption', { class: 'sr-only', i18n: captionKey }), h('thead', {}, h('tr', {}, th('mreactions.col.reaction'), th('mreactions.col.lastMinute', true), th('mreactions.col.total', true))), this.tbody),
      ),
      this.summary,
    );
  }

  update(set: readonly string[], totals: Record<string, number>, recent: Record<string, number>): void {
    this.last = { set: [...set], totals, recent };
    const tr = i18n();
    const emoji = [...set, ...Object.keys(totals).filter((e) => !set.includes(e))];
    emoji.forEach((e, index) => {
      let row = this.rows.get(e);
      if (!row) {
        const name = h('th', { scope: 'row' });
        const recentCell = h('td', { class: 'num' });
        const total = h('td', { class: 'num' });
        row = { tr: h('tr', { 'data-emoji': e }, name, recentCell, total), name, recent: recentCell, total };
        this.rows.set(e, row);
      }
      setPlainText(row.name, `${e} ${reactionName(e)}`);
      setPlainText(row.recent, tr.number(recent[e] ?? 0));
      setPlainText(row.total, tr.number(totals[e] ?? 0));
      if (this.tbody.children[index] !== row.tr) this.tbody.insertBefore(row.tr, this.tbody.children[index] ?? null);
    });
    const all = Object.values(totals).reduce((s, n) => s + n, 0);
    const lastMinute = Object.values(recent).reduce((s, n) => s + n, 0);
    setPlainText(this.summary, `${tr.plural('mreactions.total', all)} · ${tr.plural('mreactions.lastMinute', lastMinute)}`);
  }

  refresh(): void {
    this.update(this.last.set, this.last.totals, this.last.recent);
  }
}
