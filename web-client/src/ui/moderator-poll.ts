import type { PollCommand } from '../lib/api';
import { ApiError } from '../lib/api';
import { i18n, t, type MessageKey } from '../lib/i18n';
import type { PollEntry } from '../lib/poll-store';
import type { Poll, PollWithResults } from '../lib/protocol';
import { clearText, h, setPlainText, setText } from './dom';
import { ModeratorTimerControls } from './countdown';
import { ResultsView } from './results';

export interface ModeratorPollDeps {
  /** `seconds`: only when opening, the timer to open the poll with. */
  command(poll: Poll, command: PollCommand, seconds?: number): Promise<PollWithResults>;
  /** Changes an open poll's timer (+30 s, stop). */
  timer?(poll: Poll, body: { seconds: null } | { addSeconds: number }): Promise<PollWithResults>;
}

/** What the state button does next: open a draft, close an open poll, re-open a closed one. */
export function stateCommand(poll: Poll): { command: PollCommand; label: MessageKey } {
  if (poll.state === 'open') return { command: 'close', label: 'moderator.close' };
  if (poll.state === 'closed') return { command: 'open', label: 'moderator.reopen' };
  return { command: 'open', label: 'moderator.open' };
}

export function visibilityCommand(poll: Poll): { command: PollCommand; label: MessageKey } {
  // for a quiz question the reveal is the moment the answer (and the scores) become known
  if (poll.kind === 'quiz') return poll.resultsVisible ? { command: 'hide', label: 'quizme.hideAnswer' } : { command: 'reveal', label: 'quizme.revealAnswer' };
  return poll.resultsVisible ? { command: 'hide', label: 'moderator.hide' } : { command: 'reveal', label: 'moderator.reveal' };
}

/**
 * A poll on the moderator dashboard: state, visibility, the two buttons that change them, and the
 * live results (moderators always see them). The buttons are the same elements all the time —
 * only their text changes — so the keyboard focus stays where it is when the poll changes.
 */
export class ModeratorPollCard {
  readonly el: HTMLElement;
  private readonly heading: HTMLHeadingElement;
  private readonly stateBadge: HTMLElement;
  private readonly visibilityBadge: HTMLElement;
  private readonly kindLabel: HTMLElement;
  private readonly stateButton: HTMLButtonElement;
  private readonly visibilityButton: HTMLButtonElement;
  private readonly error: HTMLElement;
  private readonly results: ResultsView;
  private readonly timer: ModeratorTimerControls;
  /** A quiz question's key and scoring (moderators get `quiz.correct` always). */
  private readonly quizKey: HTMLElement;
  private busy = false;

  constructor(
    private entry: PollEntry,
    private readonly deps: ModeratorPollDeps,
    headingLevel: 'h3' | 'h4' = 'h3',
  ) {
    const id = entry.poll.id;
    const headingId = `mpoll-${id}-q`;
    this.heading = h(headingLevel, { id: headingId, class: 'poll-question', tabindex: '-1' });
    this.stateBadge = h('span', { class: 'badge' });
    this.visibilityBadge = h('span', { class: 'badge badge-quiet' });
    this.kindLabel = h('span', { class: 'poll-kind' });
    this.stateButton = h('button', { type: 'button', class: 'button', 'aria-describedby': headingId, on: { click: () => this.run(stateCommand(this.entry.poll).command) } });
    this.visibilityButton = h('button', { type: 'button', class: 'button button-secondary', 'aria-describedby': headingId, on: { click: () => this.run(visibilityCommand(this.entry.poll).command) } });
    this.error = h('p', { class: 'control-error', role: 'alert' });
    this.quizKey = h('p', { class: 'quiz-key', hidden: true });
    this.results = new ResultsView({ distribution: true });
    this.timer = new ModeratorTimerControls(`mpoll-${id}`, { timer: (poll, body) => (deps.timer ? deps.timer(poll, body) : Promise.resolve()) }, (e) => this.failed(e));
    this.el = h(
      'article',
      { class: 'card poll-card moderator-poll', 'aria-labelledby': headingId, 'data-poll-id': id },
      h('div', { class: 'poll-head' }, h('p', { class: 'poll-meta' }, this.stateBadge, ' ', this.visibilityBadge, ' ', this.kindLabel), this.heading, this.quizKey),
      h('div', { class: 'poll-controls' }, this.stateButton, this.visibilityButton, this.timer.el),
      this.error,
      this.results.el,
    );
    this.update(entry);
  }

  update(entry: PollEntry): void {
    this.entry = entry;
    const { poll } = entry;
    setPlainText(this.heading, poll.question);
    setText(this.stateBadge, `poll.state.${poll.state}` as MessageKey);
    this.stateBadge.className = `badge badge-${poll.state}`;
    setText(this.visibilityBadge, poll.resultsVisible ? 'moderator.resultsShown' : 'moderator.resultsHidden');
    setText(this.kindLabel, `poll.kind.${poll.kind}` as MessageKey);
    setText(this.stateButton, stateCommand(poll).label);
    this.stateButton.classList.toggle('button-danger', poll.state === 'open');
    this.stateButton.classList.toggle('button-primary', poll.state !== 'open');
    setText(this.visibilityButton, visibilityCommand(poll).label);
    this.timer.update(poll);
    this.results.update(poll, entry.results);
    this.renderQuizKey(poll);
  }

  private renderQuizKey(poll: Poll): void {
    const quiz = poll.kind === 'quiz' ? poll.quiz : null;
    this.quizKey.hidden = !quiz;
    if (!quiz) return;
    const answer = i18n().list((poll.options ?? []).filter((o) => quiz.correct?.includes(o.id)).map((o) => o.label));
    const scoring = t(quiz.speedBonus ? 'quizme.scoring' : 'quizme.scoringFlat', { points: quiz.points });
    setPlainText(this.quizKey, `${t('quizme.key', { answer })} · ${scoring}`);
  }

  private failed(e: unknown): void {
    const detail = e instanceof ApiError ? e.message : String(e);
    setText(this.error, 'moderator.commandFailed', { detail });
  }

  updateResults(entry: PollEntry): void {
    this.entry = entry;
    this.results.update(entry.poll, entry.results);
  }

  refresh(): void {
    this.update(this.entry);
  }

  private run(command: PollCommand): void {
    if (this.busy) return;
    if (command === 'open' && !this.timer.checkOpen()) return;
    this.busy = true;
    clearText(this.error);
    for (const b of [this.stateButton, this.visibilityButton]) b.setAttribute('aria-disabled', 'true');
    const seconds = command === 'open' ? this.timer.openSeconds() : null;
    (seconds ? this.deps.command(this.entry.poll, command, seconds) : this.deps.command(this.entry.poll, command))
      .catch((e: unknown) => {
        const detail = e instanceof ApiError ? e.message : String(e);
        setText(this.error, 'moderator.commandFailed', { detail });
      })
      .finally(() => {
        this.busy = false;
        for (const b of [this.stateButton, this.visibilityButton]) b.removeAttribute('aria-disabled');
      });
  }
}
