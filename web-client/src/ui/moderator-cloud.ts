import { ApiError, type CloudCommand } from '../lib/api';
import { rankWords, type CloudEntry } from '../lib/cloud-store';
import { i18n, t, type MessageKey } from '../lib/i18n';
import type { CloudWithResults, CloudWord, WordCloud } from '../lib/protocol';
import { clearText, h, setPlainText, setText } from './dom';
import { WordCloudView } from './word-cloud';

export interface ModeratorCloudDeps {
  command(cloud: WordCloud, command: CloudCommand): Promise<CloudWithResults>;
  hideWord(cloud: WordCloud, key: string, hidden: boolean): Promise<CloudWithResults>;
  merge(cloud: WordCloud, from: string, into: string): Promise<CloudWithResults>;
  announce(text: string): void;
}

export function cloudStateCommand(cloud: WordCloud): { command: CloudCommand; label: MessageKey } {
  if (cloud.state === 'open') return { command: 'close', label: 'moderator.close' };
  if (cloud.state === 'closed') return { command: 'open', label: 'moderator.reopen' };
  return { command: 'open', label: 'moderator.open' };
}

export function cloudVisibilityCommand(cloud: WordCloud): { command: CloudCommand; label: MessageKey } {
  return cloud.resultsVisible ? { command: 'hide', label: 'mcloud.hide' } : { command: 'reveal', label: 'mcloud.reveal' };
}

interface Row {
  tr: HTMLTableRowElement;
  text: HTMLElement;
  count: HTMLElement;
  hide: HTMLButtonElement;
  merge: HTMLButtonElement | null;
  word: CloudWord;
}

/**
 * A word cloud on the moderator dashboard: state and visibility with their buttons, the live
 * cloud, and the words as a table (the text alternative) with "hide" and "merge" per word; hidden
 * words in a second table with "show again". Rows are keyed by word and updated in place; live
 * snapshots are drawn at most every 300 ms.
 */
export class ModeratorCloudCard {
  readonly el: HTMLElement;
  private readonly heading: HTMLHeadingElement;
  private readonly stateBadge: HTMLElement;
  private readonly visibilityBadge: HTMLElement;
  private readonly stateButton: HTMLButtonElement;
  private readonly visibilityButton: HTMLButtonElement;
  private readonly summary: HTMLElement;
  private readonly error: HTMLElement;
  private readonly view: WordCloudView;
  private readonly tbody: HTMLTableSectionElement;
  private readonly hiddenBody: HTMLTableSectionElement;
  private readonly hiddenBox: HTMLElement;
  private readonly emptyWords: HTMLElement;
  private readonly mergeBox: HTMLElement;
  private readonly rows = new Map<string, Row>();
  private readonly hiddenRows = new Map<string, Row>();
  private busy = false;
  private renderTimer?: ReturnType<typeof setTimeout>;
  private lastRender = 0;

  constructor(
    private entry: CloudEntry,
    private readonly deps: ModeratorCloudDeps,
    headingLevel: 'h3' | 'h4' = 'h4',
  ) {
    const id = entry.cloud.id;
    const headingId = `mcloud-${id}-q`;
    this.heading = h(headingLevel, { id: headingId, class: 'poll-question', tabindex: '-1' });
    this.stateBadge = h('span', { class: 'badge' });
    this.visibilityBadge = h('span', { class: 'badge badge-quiet' });
    this.stateButton = h('button', { type: 'button', class: 'button', 'aria-describedby': headingId, on: { click: () => this.run(cloudStateCommand(this.entry.cloud).command) } });
    this.visibilityButton = h('button', { type: 'button', class: 'button button-secondary', 'aria-describedby': headingId, on: { click: () => this.run(cloudVisibilityCommand(this.entry.cloud).command) } });
    this.summary = h('p', { class: 'results-summary' });
    this.error = h('p', { class: 'control-error', role: 'alert' });
    this.view = new WordCloudView({ list: 'none', minSize: 0.9, maxSize: 2.4 });
    this.tbody = h('tbody');
    this.hiddenBody = h('tbody');
    this.emptyWords = h('p', { class: 'muted', i18n: 'cloud.noWords' });
    this.mergeBox = h('div', { class: 'merge-box', hidden: true });
    const table = (caption: MessageKey, body: HTMLTableSectionElement) =>
      h(
        'table',
        { class: 'word-table' },
        h('caption', { class: 'sr-only', i18n: caption, i18nParams: { prompt: entry.cloud.prompt } }),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col', i18n: 'mcloud.col.word' }), h('th', { scope: 'col', class: 'num', i18n: 'mcloud.col.count' }), h('th', { scope: 'col' }, h('span', { class: 'sr-only', i18n: 'moderator.col.action' })))),
        body,
      );
    this.hiddenBox = h('details', { class: 'hidden-words', hidden: true }, h('summary', { i18n: 'mcloud.hiddenSummary' }), table('mcloud.hiddenCaption', this.hiddenBody));
    this.el = h(
      'article',
      { class: 'card poll-card moderator-poll moderator-cloud', 'aria-labelledby': headingId, 'data-cloud-id': id },
      h('div', { class: 'poll-head' }, h('p', { class: 'poll-meta' }, this.stateBadge, ' ', this.visibilityBadge, ' ', h('span', { class: 'poll-kind', i18n: 'cloud.kind' })), this.heading),
      h('div', { class: 'poll-controls' }, this.stateButton, this.visibilityButton),
      this.error,
      this.summary,
      this.view.el,
      h('div', { class: 'table-scroll word-table-scroll', role: 'region', tabindex: '0', i18nAttrs: { 'aria-label': 'mcloud.wordsRegion' }, i18nParams: { prompt: entry.cloud.prompt } }, table('mcloud.wordsCaption', this.tbody)),
      this.emptyWords,
      this.mergeBox,
      this.hiddenBox,
    );
    this.update(entry);
  }

  update(entry: CloudEntry): void {
    this.entry = entry;
    const { cloud } = entry;
    setPlainText(this.heading, cloud.prompt);
    setText(this.stateBadge, `poll.state.${cloud.state}` as MessageKey);
    this.stateBadge.className = `badge badge-${cloud.state}`;
    setText(this.visibilityBadge, cloud.resultsVisible ? 'mcloud.shown' : 'mcloud.hidden');
    setText(this.stateButton, cloudStateCommand(cloud).label);
    this.stateButton.classList.toggle('button-danger', cloud.state === 'open');
    this.stateButton.classList.toggle('button-primary', cloud.state !== 'open');
    setText(this.visibilityButton, cloudVisibilityCommand(cloud).label);
    this.renderWords();
  }

  /** A `words` snapshot arrived: draw it soon, at most every 300 ms. */
  updateResults(entry: CloudEntry): void {
    this.entry = entry;
    if (this.renderTimer !== undefined) return;
    const wait = Math.max(0, this.lastRender + 300 - Date.now());
    this.renderTimer = setTimeout(() => {
      this.renderTimer = undefined;
      this.renderWords();
    }, wait);
  }

  refresh(): void {
    this.update(this.entry);
    this.view.refresh();
  }

  private renderWords(): void {
    this.lastRender = Date.now();
    const results = this.entry.results;
    this.view.update(results);
    const tr = i18n();
    setPlainText(
      this.summary,
      results ? `${tr.plural('mcloud.contributors', results.contributors)} · ${tr.plural('mcloud.entries', results.entries)}` : tr.plural('mcloud.contributors', 0),
    );
    const active = document.activeElement as HTMLElement | null;
    this.syncRows(this.tbody, this.rows, rankWords(results?.words ?? []), false);
    this.syncRows(this.hiddenBody, this.hiddenRows, rankWords(results?.hidden ?? []), true);
    if (active && active !== document.activeElement && document.contains(active)) active.focus();
    this.emptyWords.hidden = (results?.words.length ?? 0) > 0;
    this.tbody.closest<HTMLElement>('.table-scroll')!.hidden = (results?.words.length ?? 0) === 0;
    this.hiddenBox.hidden = (results?.hidden.length ?? 0) === 0;
  }

  private syncRows(body: HTMLTableSectionElement, rows: Map<string, Row>, words: CloudWord[], hidden: boolean): void {
    const keys = new Set(words.map((w) => w.key));
    for (const [key, row] of rows) {
      if (keys.has(key)) continue;
      if (row.tr.contains(document.activeElement)) {
        // The word left this table (hidden, shown or merged): keep the keyboard in the card.
        this.heading.focus();
      }
      row.tr.remove();
      rows.delete(key);
    }
    const tr = i18n();
    words.forEach((word, index) => {
      let row = rows.get(word.key);
      if (!row) {
        row = this.createRow(word, hidden);
        rows.set(word.key, row);
      }
      row.word = word;
      setPlainText(row.text, word.text);
      setPlainText(row.count, tr.number(word.count));
      if (body.children[index] !== row.tr) body.insertBefore(row.tr, body.children[index] ?? null);
    });
  }

  private createRow(word: CloudWord, hidden: boolean): Row {
    const textId = `mcloud-${this.entry.cloud.id}-${hidden ? 'h' : 'w'}-${encodeURIComponent(word.key).replace(/[^A-Za-z0-9_-]/g, '_')}`;
    const text = h('th', { scope: 'row', id: textId, class: 'word-cell' });
    const count = h('td', { class: 'num' });
    const hide = h('button', {
      type: 'button',
      class: 'button button-small button-secondary',
      'aria-describedby': textId,
      i18n: hidden ? 'mcloud.showWord' : 'mcloud.hideWord',
      on: { click: () => this.hideWord(row, !hidden) },
    });
    const merge = hidden
      ? null
      : h('button', { type: 'button', class: 'button button-small button-secondary', 'aria-describedby': textId, i18n: 'mcloud.mergeWord', on: { click: () => this.openMerge(row) } });
    const tr = h('tr', { 'data-key': word.key }, text, count, h('td', { class: 'row-actions' }, hide, merge));
    const row: Row = { tr, text, count, hide, merge, word };
    return row;
  }

  private hideWord(row: Row, hidden: boolean): void {
    const word = row.word;
    this.guard(() =>
      this.deps.hideWord(this.entry.cloud, word.key, hidden).then(() => {
        this.deps.announce(t(hidden ? 'mcloud.wordHidden' : 'mcloud.wordShown', { word: word.text }));
      }),
    );
  }

  /** "Merge …": a small form under the table, with every other word to merge into. */
  private openMerge(row: Row): void {
    const from = row.word;
    const others = rankWords(this.entry.results?.words ?? []).filter((w) => w.key !== from.key);
    const selectId = `mcloud-${this.entry.cloud.id}-merge`;
    if (others.length === 0) {
      setText(this.error, 'mcloud.mergeNothing');
      return;
    }
    const select = h('select', { id: selectId, class: 'input' }, ...others.map((w) => h('option', { value: w.key, text: `${w.text} (${i18n().number(w.count)})` })));
    const close = () => {
      this.mergeBox.hidden = true;
      this.mergeBox.replaceChildren();
      (this.rows.get(from.key)?.merge ?? this.heading).focus();
    };
    const form = h(
      'form',
      {
        class: 'merge-form',
        on: {
          submit: (e) => {
            e.preventDefault();
            const into = others.find((w) => w.key === select.value);
            if (!into) return;
            this.guard(() =>
              this.deps.merge(this.entry.cloud, from.key, into.key).then(() => {
                this.deps.announce(t('mcloud.merged', { from: from.text, into: into.text }));
                this.mergeBox.hidden = true;
                this.mergeBox.replaceChildren();
                (this.rows.get(into.key)?.merge ?? this.heading).focus();
              }),
            );
          },
          keydown: (e) => {
            if (e.key === 'Escape') close();
          },
        },
      },
      h('label', { htmlFor: selectId, class: 'label', i18n: 'mcloud.mergeInto', i18nParams: { word: from.text } }),
      h('div', { class: 'input-with-button' }, select, h('button', { type: 'submit', class: 'button button-primary', i18n: 'mcloud.mergeSubmit' }), h('button', { type: 'button', class: 'button button-secondary', i18n: 'mcloud.cancel', on: { click: close } })),
      h('p', { class: 'hint', i18n: 'mcloud.mergeHint' }),
    );
    this.mergeBox.replaceChildren(form);
    this.mergeBox.hidden = false;
    select.focus();
  }

  private run(command: CloudCommand): void {
    this.guard(() => this.deps.command(this.entry.cloud, command).then(() => undefined));
  }

  private guard(action: () => Promise<unknown>): void {
    if (this.busy) return;
    this.busy = true;
    clearText(this.error);
    this.el.setAttribute('aria-busy', 'true');
    action()
      .catch((e: unknown) => {
        const detail = e instanceof ApiError ? e.message : String(e);
        setText(this.error, 'moderator.commandFailed', { detail });
      })
      .finally(() => {
        this.busy = false;
        this.el.removeAttribute('aria-busy');
      });
  }
}
