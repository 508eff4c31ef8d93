import { layoutCloud, rankWords } from '../lib/cloud-store';
import { i18n } from '../lib/i18n';
import type { CloudResults, CloudWord } from '../lib/protocol';
import { h, setPlainText, setText } from './dom';

export interface WordCloudViewOptions {
  /** Font sizes in em between the least and the most frequent word. */
  minSize?: number;
  maxSize?: number;
  /** Extra class on the root (e.g. `wordcloud-large`). */
  className?: string;
  /**
   * How the text alternative (every word with its count, most frequent first) is offered:
   * `details` — a disclosure under the cloud; `visible` — always shown; `hidden` — for screen
   * readers only (hall screens, stream overlays); `none` — the page shows its own list.
   */
  list?: 'details' | 'visible' | 'hidden' | 'none';
  /** Id of the heading that names the cloud, for the list's label. */
  labelledBy?: string;
}

/**
 * A word cloud as weighted text: real words in a centred, wrapping layout, sized by count (see
 * `layoutCloud`). No canvas, no absolute positions: it reflows on a phone, zooms with the
 * browser, and never drops a word for lack of room. The picture is hidden from screen readers;
 * the list beside it is the text alternative. Words are keyed and updated in place.
 */
export class WordCloudView {
  readonly el: HTMLElement;
  private readonly cloud: HTMLElement;
  private readonly list: HTMLOListElement;
  private readonly listSummary: HTMLElement | null = null;
  private readonly empty: HTMLElement;
  private readonly words = new Map<string, HTMLElement>();
  private readonly items = new Map<string, { li: HTMLLIElement; text: HTMLElement; count: HTMLElement }>();
  private last: CloudResults | null = null;
  private fitScheduled = false;

  constructor(private readonly options: WordCloudViewOptions = {}) {
    this.cloud = h('div', { class: 'wordcloud-words', 'aria-hidden': 'true' });
    this.empty = h('p', { class: 'wordcloud-empty', i18n: 'cloud.noWords' });
    this.list = h('ol', { class: 'word-list' });
    if (options.labelledBy) this.list.setAttribute('aria-labelledby', options.labelledBy);
    const mode = options.list ?? 'details';
    let listBox: HTMLElement | null = null;
    if (mode === 'details') {
      this.listSummary = h('summary');
      listBox = h('details', { class: 'word-list-box' }, this.listSummary, this.list);
    } else if (mode === 'visible') {
      listBox = this.list;
    } else if (mode === 'hidden') {
      listBox = h('div', { class: 'sr-only' }, this.list);
    }
    this.el = h('div', { class: `wordcloud ${options.className ?? ''}`.trim() }, this.cloud, this.empty, listBox);
  }

  update(results: CloudResults | null): void {
    this.last = results;
    const words = results?.words ?? [];
    const placed = layoutCloud(words, { minSize: this.options.minSize ?? 1, maxSize: this.options.maxSize ?? 3 });
    const keys = new Set(placed.map((w) => w.key));
    for (const [key, el] of this.words) {
      if (!keys.has(key)) {
        el.remove();
        this.words.delete(key);
      }
    }
    placed.forEach((word, index) => {
      let el = this.words.get(word.key);
      if (!el) {
        el = h('span', { class: 'wc-word', 'data-key': word.key });
        this.words.set(word.key, el);
      }
      setPlainText(el, word.text);
      el.style.fontSize = `calc(${word.size}em * var(--wc-scale, 1))`;
      el.dataset.tier = String(word.tier);
      if (this.cloud.children[index] !== el) this.cloud.insertBefore(el, this.cloud.children[index] ?? null);
    });
    this.empty.hidden = placed.length > 0;
    this.cloud.hidden = placed.length === 0;
    this.renderList(rankWords(words));
    this.scheduleFit();
  }

  refresh(): void {
    this.update(this.last);
  }

  private renderList(ranked: CloudWord[]): void {
    const tr = i18n();
    const keys = new Set(ranked.map((w) => w.key));
    for (const [key, item] of this.items) {
      if (!keys.has(key)) {
        item.li.remove();
        this.items.delete(key);
      }
    }
    ranked.forEach((word, index) => {
      let item = this.items.get(word.key);
      if (!item) {
        const text = h('span', { class: 'word-text' });
        const count = h('span', { class: 'word-count' });
        item = { li: h('li', { 'data-key': word.key }, text, ' ', count), text, count };
        this.items.set(word.key, item);
      }
      setPlainText(item.text, word.text);
      setPlainText(item.count, `(${tr.plural('cloud.mentions', word.count)})`);
      if (this.list.children[index] !== item.li) this.list.insertBefore(item.li, this.list.children[index] ?? null);
    });
    if (this.listSummary) setText(this.listSummary, 'cloud.listSummary', { count: ranked.length });
  }

  /**
   * On a fixed-size screen (projector, overlay: a `max-height` on the cloud), shrinks all words
   * together until they fit, so none is cut off.
   */
  private scheduleFit(): void {
    if (this.fitScheduled || typeof requestAnimationFrame !== 'function') return;
    this.fitScheduled = true;
    requestAnimationFrame(() => {
      this.fitScheduled = false;
      const box = this.cloud;
      if (!box.isConnected || getComputedStyle(box).maxHeight === 'none') return;
      // Measured without the size transition, else the layout still shows the old sizes.
      box.classList.add('is-fitting');
      let scale = 1;
      box.style.setProperty('--wc-scale', '1');
      for (let i = 0; i < 14 && box.scrollHeight > box.clientHeight + 1; i++) {
        scale *= 0.9;
        box.style.setProperty('--wc-scale', scale.toFixed(3));
      }
      box.classList.remove('is-fitting');
    });
  }
}
