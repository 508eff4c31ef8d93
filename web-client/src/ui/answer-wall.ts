import { i18n } from '../lib/i18n';
import type { Poll, Post } from '../lib/protocol';
import { h, setText } from './dom';

/** The approved answers to an open-text poll, newest first (what a wall shows). */
export function wallAnswers(poll: Poll, posts: readonly Post[]): Post[] {
  return posts
    .filter((p) => p.kind === 'answer' && p.pollId === poll.id && p.state === 'published')
    .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
}

/**
 * The "wall" of an open-text question on the projector and the overlay: the newest approved
 * answers, a bounded number of them (each clamped to a few lines), so nothing is clipped at
 * 1920×1080 however many answers come in; the rest is counted.
 */
export class AnswerWall {
  readonly el: HTMLElement;
  private readonly list: HTMLUListElement;
  private readonly more: HTMLElement;
  private readonly empty: HTMLElement;

  constructor(
    private readonly maxShown: number,
    className: string,
    labelledBy: string,
  ) {
    this.list = h('ul', { class: 'answer-wall-list', 'aria-labelledby': labelledBy });
    this.more = h('p', { class: 'answer-wall-more', hidden: true });
    this.empty = h('p', { class: 'answer-wall-empty', i18n: 'wall.empty' });
    this.el = h('div', { class: `answer-wall ${className}` }, this.list, this.more, this.empty);
  }

  update(poll: Poll, posts: readonly Post[]): void {
    const answers = wallAnswers(poll, posts);
    const shown = answers.slice(0, this.maxShown);
    this.list.replaceChildren(
      ...shown.map((p) =>
        h('li', { class: 'answer-wall-item', 'data-post-id': p.id }, h('p', { class: 'answer-wall-text', text: p.text }), p.displayName ? h('p', { class: 'answer-wall-name', text: p.displayName }) : null),
      ),
    );
    const rest = answers.length - shown.length;
    this.more.hidden = rest <= 0;
    if (rest > 0) setText(this.more, 'wall.more', { n: i18n().number(rest) });
    this.empty.hidden = answers.length > 0;
  }
}
