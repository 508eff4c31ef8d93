import { t } from '../lib/i18n';
import type { Leaderboard } from '../lib/protocol';
import { h, setText } from './dom';

/**
 * The live quiz leaderboard of the moderator's open stage (top 10 by points, as the server pushes
 * it once per tick): one section, shown only on a stage whose snapshot or pushes brought a board.
 */
export class LeaderboardPanel {
  readonly el: HTMLElement;
  private readonly list: HTMLOListElement;
  private readonly summary: HTMLElement;
  private readonly boards = new Map<string, Leaderboard>();
  private stageId: string | null = null;

  constructor() {
    this.list = h('ol', { class: 'leaderboard-list', 'aria-labelledby': 'mquiz-h' });
    this.summary = h('p', { class: 'muted' });
    this.el = h('section', { class: 'stage-section card', id: 'panel-leaderboard', 'aria-labelledby': 'mquiz-h', hidden: true },
      h('h3', { id: 'mquiz-h', i18n: 'quiz.leaderboard' }), this.summary, this.list);
  }

  /** A board arrived (joined or pushed) for a stage. */
  apply(board: Leaderboard): void {
    this.boards.set(board.stageId, board);
    if (board.stageId === this.stageId) this.render();
  }

  /** The moderator opened a stage's panel. */
  show(stageId: string): void {
    this.stageId = stageId;
    this.render();
  }

  private render(): void {
    const board = this.stageId ? this.boards.get(this.stageId) : undefined;
    this.el.hidden = !board;
    if (!board) return;
    setText(this.summary, 'quiz.boardSummary', { participants: board.participants, scored: board.scored });
    this.list.replaceChildren(...board.entries.map((e) =>
      h('li', {}, h('span', { class: 'leaderboard-name', text: e.nickname }), ' ', h('span', { class: 'leaderboard-points', text: t('quiz.points', { points: e.points }) }))));
  }
}
