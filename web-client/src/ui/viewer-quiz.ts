import { ActionError } from '../lib/connection';
import type { MessageKey } from '../lib/i18n';
import type { Leaderboard, Poll } from '../lib/protocol';
import type { NicknameAction, StandingReply } from '../lib/quiz';
import { h, setPlainText, setText } from './dom';

/** Asking for the own result at most this often: a reveal and a board push often come together. */
export const STANDING_INTERVAL_MS = 3_000;

const NICKNAME_ERRORS: Record<string, MessageKey> = {
  invalid_nickname: 'quizme.error.invalid',
  blocked_word: 'quizme.error.blocked',
};

export interface QuizCornerDeps {
  /** Sends `standing`; resolves with the reply. */
  standing: () => Promise<StandingReply>;
  /** Sends `nickname`; resolves with the ack (the name now in use and `listed`). */
  nickname: (action: Omit<NicknameAction, 'type'>) => Promise<{ nickname?: string; listed?: boolean }>;
}

/**
 * The viewer's quiz corner (issue 12), shown once the stage has a quiz question: the name the
 * leaderboard uses (the server generates one; the viewer learns it from a `standing` reply and
 * may change it), an opt-out from the public board, the viewer's own points and rank, and the
 * top 10 while the leaderboard is on the screens (the server pushes it to viewers only then).
 * A form with a visible label, a native checkbox and status lines: keyboard-operable as is.
 */
export class ViewerQuizCorner {
  readonly el: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly error: HTMLElement;
  private readonly status: HTMLElement;
  private readonly unlisted: HTMLInputElement;
  private readonly result: HTMLElement;
  private readonly boardBox: HTMLElement;
  private readonly boardList: HTMLOListElement;
  /** The name the server uses now (null until the first `standing` reply). */
  private nickname: string | null = null;
  private revealed = new Set<string>();
  private lastAsked = -Infinity;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private active = false;
  private boardShown = false;
  private board: Leaderboard | null = null;

  constructor(
    private readonly deps: QuizCornerDeps,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.input = h('input', { id: 'quiz-nickname', type: 'text', maxlength: '24', autocomplete: 'nickname', 'aria-describedby': 'quiz-nickname-hint quiz-nickname-error' });
    this.error = h('p', { class: 'field-error', id: 'quiz-nickname-error' });
    this.status = h('p', { class: 'settings-status', role: 'status' });
    this.unlisted = h('input', { id: 'quiz-unlisted', type: 'checkbox', on: { change: () => this.saveListed() } });
    this.result = h('p', { class: 'quiz-result', role: 'status' });
    this.boardList = h('ol', { class: 'quiz-board', 'aria-labelledby': 'quiz-board-h' });
    this.boardBox = h('section', { class: 'quiz-board-box', 'aria-labelledby': 'quiz-board-h', hidden: true }, h('h3', { id: 'quiz-board-h', i18n: 'quizme.top' }), this.boardList);
    const form = h(
      'form',
      { class: 'quiz-name-form', novalidate: true, on: { submit: (e) => this.saveName(e) } },
      h('label', { for: 'quiz-nickname', i18n: 'quizme.nickname' }),
      h('p', { class: 'hint', id: 'quiz-nickname-hint', i18n: 'quizme.nicknameHint' }),
      h('div', { class: 'quiz-name-row' }, this.input, h('button', { type: 'submit', class: 'button', i18n: 'quizme.save' })),
      this.error,
      h('p', { class: 'checkbox-row' }, this.unlisted, ' ', h('label', { for: 'quiz-unlisted', i18n: 'quizme.unlisted' })),
      this.status,
    );
    this.el = h('section', { class: 'card quiz-corner', 'aria-labelledby': 'quiz-corner-h', hidden: true }, h('h2', { id: 'quiz-corner-h', i18n: 'quizme.heading' }), form, this.result, this.boardBox);
  }

  /** A new stage: forget everything of the last one. */
  reset(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.nickname = null;
    this.revealed = new Set();
    this.lastAsked = -Infinity;
    this.active = false;
    this.board = null;
    this.boardShown = false;
    this.input.value = '';
    setPlainText(this.error, '');
    setPlainText(this.status, '');
    setPlainText(this.result, '');
    this.el.hidden = true;
    this.renderBoard();
  }

  /** The stage's polls changed: show the corner once a quiz question is there; a new reveal asks for the result. */
  sync(polls: readonly Poll[]): void {
    const quizzes = polls.filter((p) => p.kind === 'quiz' && p.state !== 'draft');
    const first = !this.active && quizzes.length > 0;
    this.active = quizzes.length > 0;
    this.el.hidden = !this.active;
    let newReveal = false;
    for (const p of quizzes) {
      if (p.resultsVisible && !this.revealed.has(p.id)) {
        this.revealed.add(p.id);
        newReveal = true;
      }
    }
    if (first || newReveal) this.askStanding();
  }

  /** What the screens show: the top 10 is shown while it is the leaderboard. */
  presentation(kind: string): void {
    this.boardShown = kind === 'leaderboard';
    this.renderBoard();
  }

  leaderboard(board: Leaderboard): void {
    this.board = board;
    this.renderBoard();
    if (this.active) this.askStanding();
  }

  /** Debounced: at most once per {@link STANDING_INTERVAL_MS}, the last wish kept as a trailing ask. */
  askStanding(): void {
    if (this.timer !== undefined) return;
    const wait = this.lastAsked + STANDING_INTERVAL_MS - this.now();
    if (wait > 0) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.askStanding();
      }, wait);
      return;
    }
    this.lastAsked = this.now();
    this.deps.standing().then(
      (reply) => this.applyStanding(reply),
      () => undefined,
    );
  }

  applyStanding(reply: StandingReply): void {
    // the field keeps what the person is typing; only an untouched field follows the server
    if (this.nickname === null || this.input.value === this.nickname) this.input.value = reply.nickname;
    this.nickname = reply.nickname;
    this.unlisted.checked = !reply.listed;
    const points = reply.points;
    if (reply.rank === null) setText(this.result, 'quizme.resultPending', { points });
    else setText(this.result, 'quizme.result', { points, rank: reply.rank });
  }

  private saveName(e: Event): void {
    e.preventDefault();
    setPlainText(this.error, '');
    this.input.removeAttribute('aria-invalid');
    const nickname = this.input.value.trim();
    this.send({ nickname, listed: !this.unlisted.checked }, () => setText(this.status, 'quizme.saved', { nickname: this.nickname ?? nickname }));
  }

  private saveListed(): void {
    const listed = !this.unlisted.checked;
    // the name in use goes along, so opting out never resets a chosen name to a generated one
    const action = this.nickname === null ? { listed } : { nickname: this.nickname, listed };
    this.send(action, () => setText(this.status, listed ? 'quizme.listedSaved' : 'quizme.unlistedSaved'));
  }

  private send(action: Omit<NicknameAction, 'type'>, done: () => void): void {
    this.deps.nickname(action).then(
      (ack) => {
        if (ack.nickname) {
          this.nickname = ack.nickname;
          this.input.value = ack.nickname;
        }
        if (typeof ack.listed === 'boolean') this.unlisted.checked = !ack.listed;
        done();
      },
      (err: unknown) => {
        const key = err instanceof ActionError ? NICKNAME_ERRORS[err.code] : undefined;
        if (key && action.nickname !== undefined && action.nickname === this.input.value.trim()) {
          this.input.setAttribute('aria-invalid', 'true');
          setText(this.error, key);
        } else setText(this.status, key ?? 'quizme.error.failed');
      },
    );
  }

  private renderBoard(): void {
    const entries = this.boardShown ? (this.board?.entries ?? []).slice(0, 10) : [];
    this.boardBox.hidden = entries.length === 0;
    this.boardList.replaceChildren(...entries.map((e) => h('li', { i18n: 'quizme.entry', i18nParams: { rank: e.rank, nickname: e.nickname, points: e.points } })));
  }
}
