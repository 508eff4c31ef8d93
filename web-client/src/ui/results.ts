import { i18n, type Translator } from '../lib/i18n';
import type { Poll, PollResults } from '../lib/protocol';
import { leaders, resultBars, type Bar } from '../lib/results-view';
import { h, setPlainText } from './dom';

/** The summary line under a poll's results, e.g. "390 Stimmen · Durchschnitt 3,8 von 5". */
export function resultsSummary(poll: Poll, results: PollResults | null, tr: Translator = i18n()): string {
  const voters = results?.voters ?? 0;
  const parts = [tr.plural('results.voters', voters)];
  if (poll.kind === 'rating' && results?.mean != null) {
    parts.push(tr.t('results.mean', { mean: tr.number(results.mean, 1), scale: poll.scale ?? 5 }));
  }
  if (poll.kind === 'multiple') parts.push(tr.t('results.multipleNote'));
  if (poll.kind === 'ranking') parts.push(tr.t('ranking.bordaNote', { max: Math.max(0, (poll.options?.length ?? 1) - 1) }));
  return parts.join(' · ');
}

/** One sentence for a screen reader, e.g. "Zwischenstand „Nutzen Sie die eID?“: Ja 64 %, Nein 36 %; 390 Stimmen." */
export function resultsSentence(poll: Poll, results: PollResults | null, tr: Translator = i18n()): string {
  const bars = resultBars(poll, results);
  const voters = results?.voters ?? 0;
  if (voters === 0) return tr.t('results.announceNone', { question: poll.question });
  const shown = poll.kind === 'rating' ? [] : bars.slice(0, 6);
  const parts = shown.map((b) => (poll.kind === 'ranking' ? `${b.label} ${tr.plural('ranking.points', b.count)}` : `${b.label} ${tr.percent(b.percent)}`));
  const mean = poll.kind === 'rating' && results?.mean != null ? tr.t('results.mean', { mean: tr.number(results.mean, 1), scale: poll.scale ?? 5 }) : '';
  return tr.t('results.announce', {
    question: poll.question,
    values: [parts.join(', '), mean].filter(Boolean).join(', '),
    voters: tr.plural('results.voters', voters),
  });
}

/**
 * Live result bars as HTML with the numbers as text (the bar itself is decoration). Rows are keyed
 * by option and updated in place, so live updates neither flicker nor move the reading position.
 */
export class ResultsView {
  readonly el: HTMLElement;
  private readonly summary: HTMLElement;
  private readonly list: HTMLUListElement;
  private readonly rows = new Map<string, { li: HTMLLIElement; label: HTMLElement; value: HTMLElement; count: HTMLElement; fill: HTMLElement; positions: HTMLElement }>();
  private last: { poll: Poll; results: PollResults | null } | null = null;
  /** Ranking polls: also show how many put each option 1st, 2nd, … (moderators, report). */
  private readonly distribution: boolean;

  constructor(options: { large?: boolean; labelledBy?: string; distribution?: boolean } = {}) {
    this.distribution = options.distribution ?? false;
    this.summary = h('p', { class: 'results-summary' });
    this.list = h('ul', { class: 'bars', role: 'list' });
    if (options.labelledBy) this.list.setAttribute('aria-labelledby', options.labelledBy);
    this.el = h('div', { class: options.large ? 'results results-large' : 'results' }, this.list, this.summary);
  }

  update(poll: Poll, results: PollResults | null): void {
    this.last = { poll, results };
    const tr = i18n();
    const bars = resultBars(poll, results);
    const top = new Set(leaders(bars).map((b) => b.key));
    const keys = new Set(bars.map((b) => b.key));
    for (const [key, row] of this.rows) {
      if (!keys.has(key)) {
        row.li.remove();
        this.rows.delete(key);
      }
    }
    bars.forEach((bar, index) => {
      const row = this.rows.get(bar.key) ?? this.createRow(bar);
      if (this.list.children[index] !== row.li) this.list.insertBefore(row.li, this.list.children[index] ?? null);
      setPlainText(row.label, bar.label);
      if (poll.kind === 'ranking') {
        setPlainText(row.value, tr.plural('ranking.points', bar.count));
        setPlainText(row.count, bar.meanRank != null ? `(${tr.t('ranking.meanRank', { rank: tr.number(bar.meanRank, 1) })})` : '');
        const shown = this.distribution && bar.positions !== undefined;
        row.positions.hidden = !shown;
        if (shown) setPlainText(row.positions, distributionText(bar.positions ?? [], tr));
      } else {
        setPlainText(row.value, tr.percent(bar.percent));
        setPlainText(row.count, `(${tr.plural('results.votes', bar.count)})`);
        row.positions.hidden = true;
      }
      row.fill.style.width = `${(bar.share * 100).toFixed(2)}%`;
      row.li.classList.toggle('is-leading', top.has(bar.key));
    });
    setPlainText(this.summary, resultsSummary(poll, results, tr));
  }

  /** Re-renders the texts in the current language. */
  refresh(): void {
    if (this.last) this.update(this.last.poll, this.last.results);
  }

  private createRow(bar: Bar) {
    const label = h('span', { class: 'bar-label' });
    const value = h('span', { class: 'bar-value' });
    const count = h('span', { class: 'bar-count' });
    const fill = h('span', { class: 'bar-fill' });
    const positions = h('span', { class: 'bar-positions', hidden: true });
    const li = h(
      'li',
      { class: 'bar-row', 'data-key': bar.key },
      h('span', { class: 'bar-text' }, label, ' ', h('span', { class: 'bar-numbers' }, value, ' ', count)),
      h('span', { class: 'bar-track', 'aria-hidden': 'true' }, fill),
      positions,
    );
    const row = { li, label, value, count, fill, positions };
    this.rows.set(bar.key, row);
    return row;
  }
}

/** "1st: 2 · 2nd: 1 · 3rd: 0" — how many voters put an option at each position. */
export function distributionText(positions: readonly number[], tr: Translator = i18n()): string {
  return positions.map((n, i) => tr.t('ranking.atPosition', { position: i + 1, count: n })).join(' · ');
}
