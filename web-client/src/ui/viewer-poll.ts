import { ActionError } from '../lib/connection';
import { t, type MessageKey } from '../lib/i18n';
import type { MyVote } from '../lib/my-votes';
import type { PollEntry } from '../lib/poll-store';
import type { AckMessage, Poll } from '../lib/protocol';
import { pollKeys } from '../lib/results-view';
import { Countdown } from './countdown';
import { h, preservingFocus, setPlainText, setText } from './dom';
import { RankingOrder } from './ranking-order';
import { ResultsView } from './results';

export interface VoteDeps {
  send(poll: Poll, vote: MyVote): Promise<AckMessage>;
  myVote(pollId: string): MyVote | null;
  online(): boolean;
}

type VoteState =
  | { kind: 'idle' }
  | { kind: 'invalid'; message: MessageKey; params?: Record<string, number> }
  | { kind: 'sending' }
  | { kind: 'counted' }
  /** Voted on an earlier visit (remembered in this browser). */
  | { kind: 'remembered' }
  | { kind: 'failed'; message: MessageKey };

const ERROR_MESSAGES: Record<string, MessageKey> = {
  poll_not_open: 'vote.error.notOpen',
  poll_closed: 'vote.error.closed',
  already_answered: 'vote.error.alreadyAnswered',
  unknown_poll: 'vote.error.unknownPoll',
  invalid_option: 'vote.error.invalid',
  too_many_selections: 'vote.error.invalid',
  forbidden: 'vote.error.forbidden',
};

/** The minimum the person must pick; what a poll allows at most. */
export function selectionLimit(poll: Poll): number {
  if (poll.kind === 'single' || poll.kind === 'rating') return 1;
  if (poll.kind === 'ranking') return poll.options?.length ?? 0;
  const options = poll.options?.length ?? 0;
  return Math.max(1, Math.min(poll.maxSelections ?? options, options || 1));
}

/** Turns the form's checked values into a vote, or says what is wrong with them. */
export function voteFromSelection(poll: Poll, values: string[]): { vote: MyVote } | { error: MessageKey; params?: Record<string, number> } {
  if (values.length === 0) return { error: poll.kind === 'rating' ? 'vote.error.noRating' : 'vote.error.noChoice' };
  if (poll.kind === 'rating') return { vote: { rating: Number(values[0]) } };
  // a ranking is the whole order; the server refuses anything else (docs/protocol.md)
  if (poll.kind === 'ranking') return { vote: { choices: values } };
  const max = selectionLimit(poll);
  if (values.length > max) return { error: 'vote.error.tooMany', params: { max } };
  return { vote: { choices: values } };
}

/**
 * One poll as a viewer sees it: the question, a form to vote while it is open, what happened to
 * the vote, and the results once the moderator shows them. Built once and updated in place.
 */
export class ViewerPollCard {
  readonly el: HTMLElement;
  private readonly headingId: string;
  private readonly heading: HTMLHeadingElement;
  private readonly stateBadge: HTMLElement;
  private readonly kindLabel: HTMLElement;
  private readonly countdown = new Countdown();
  private readonly status: HTMLElement;
  private readonly resultsBox: HTMLElement;
  private readonly results: ResultsView;
  private form: HTMLFormElement | null = null;
  private submit: HTMLButtonElement | null = null;
  private hint: HTMLElement | null = null;
  private ranking: RankingOrder | null = null;
  private voteState: VoteState = { kind: 'idle' };
  private sendSeq = 0;

  constructor(
    private entry: PollEntry,
    private readonly deps: VoteDeps,
  ) {
    const id = entry.poll.id;
    this.headingId = `poll-${id}-q`;
    this.heading = h('h3', { id: this.headingId, class: 'poll-question', tabindex: '-1' });
    this.stateBadge = h('span', { class: 'badge' });
    this.kindLabel = h('span', { class: 'poll-kind' });
    this.status = h('p', { class: 'vote-status', role: 'status', id: `poll-${id}-status` });
    this.results = new ResultsView({ labelledBy: `poll-${id}-rh` });
    this.resultsBox = h('section', { class: 'poll-results', 'aria-labelledby': `poll-${id}-rh ${this.headingId}`, hidden: true }, h('h4', { id: `poll-${id}-rh`, class: 'results-heading', i18n: 'results.heading' }), this.results.el);
    this.el = h(
      'article',
      { class: 'card poll-card', 'aria-labelledby': this.headingId, 'data-poll-id': id },
      h('p', { class: 'poll-meta' }, this.stateBadge, ' ', this.kindLabel, ' ', this.countdown.el),
      this.heading,
      this.status,
      this.resultsBox,
    );
    this.update(entry);
  }

  get pollId(): string {
    return this.entry.poll.id;
  }

  /** The poll changed (state, visibility) or new results arrived. */
  update(entry: PollEntry): void {
    this.entry = entry;
    const { poll } = entry;
    setPlainText(this.heading, poll.question);
    setText(this.stateBadge, poll.state === 'open' ? 'poll.state.open' : 'poll.state.closed');
    this.stateBadge.className = `badge badge-${poll.state}`;
    setText(this.kindLabel, `poll.kind.${poll.kind}` as MessageKey);
    this.countdown.update(poll);
    preservingFocus(
      this.el,
      () => {
        if (poll.state === 'open') this.ensureForm();
        else this.removeForm();
      },
      () => this.heading,
    );
    this.renderStatus();
    this.updateResults(entry);
    this.markCorrect(poll);
  }

  /** A quiz question's key arrives only with its reveal: the correct options are then marked and named. */
  private markCorrect(poll: Poll): void {
    const correct = poll.quiz?.correct ?? [];
    if (correct.length === 0) return;
    for (const input of Array.from(this.el.querySelectorAll<HTMLInputElement>('.choice input'))) {
      const label = input.nextElementSibling;
      if (correct.includes(input.value) && label && !label.querySelector('.quiz-correct')) {
        label.append(' ', h('span', { class: 'quiz-correct', i18n: 'quiz.correctOption' }));
      }
    }
    if (!this.el.querySelector('.quiz-answer')) {
      const labels = (poll.options ?? []).filter((o) => correct.includes(o.id)).map((o) => o.label).join(', ');
      this.resultsBox.before(h('p', { class: 'quiz-answer', i18n: 'quiz.answerIs', i18nParams: { answer: labels } }));
    }
  }

  updateResults(entry: PollEntry): void {
    this.entry = entry;
    const visible = entry.poll.resultsVisible && entry.results !== null;
    if (visible) this.results.update(entry.poll, entry.results);
    this.resultsBox.hidden = !visible;
  }

  /** The connection went on- or offline: a vote on its way says whether it waits. */
  connectionChanged(): void {
    if (this.voteState.kind === 'sending') this.renderStatus();
  }

  refresh(): void {
    this.results.refresh();
    if (this.hint) this.renderHint(this.hint);
    this.ranking?.refresh();
    this.renderStatus();
    this.renderSubmit();
  }

  private ensureForm(): void {
    if (this.form) return;
    const { poll } = this.entry;
    const id = poll.id;
    const mine = this.deps.myVote(id);
    const multiple = poll.kind === 'multiple' || (poll.kind === 'quiz' && (poll.maxSelections ?? 1) > 1);
    const type = multiple ? 'checkbox' : 'radio';
    const hintId = `poll-${id}-hint`;
    this.hint = h('p', { class: 'hint', id: hintId });
    this.renderHint(this.hint);
    if (poll.kind === 'ranking') {
      this.ranking = new RankingOrder(`poll-${id}`, poll.options ?? [], mine?.choices ?? null);
      this.buildForm(h('fieldset', { class: 'vote-fieldset', 'aria-labelledby': this.headingId, 'aria-describedby': hintId }, this.hint, this.ranking.el), mine !== null);
      return;
    }
    const choices = h('div', { class: poll.kind === 'rating' ? `choices choices-rating choices-rating-${poll.scale ?? 5}` : 'choices' });
    for (const { key, label } of pollKeys(poll)) {
      const inputId = `poll-${id}-opt-${key}`;
      const checked = poll.kind === 'rating' ? mine?.rating === Number(key) : (mine?.choices ?? []).includes(key);
      // a quiz question's key arrives only with its reveal: then the correct options are marked
      const right = poll.quiz?.correct?.includes(key) ? h('span', { class: 'quiz-correct', i18n: 'quiz.correctOption' }) : null;
      choices.append(
        h(
          'div',
          { class: 'choice' },
          h('input', { type, id: inputId, name: `poll-${id}`, value: key, checked }),
          h('label', { htmlFor: inputId }, label, right ? ' ' : null, right),
        ),
      );
    }
    const scaleEnds = poll.kind === 'rating' ? h('p', { class: 'scale-ends', 'aria-hidden': 'true' }, h('span', { i18n: 'vote.ratingLow' }), h('span', { i18n: 'vote.ratingHigh' })) : null;
    const fieldset = h('fieldset', { class: 'vote-fieldset', 'aria-labelledby': this.headingId, 'aria-describedby': hintId }, this.hint, choices, scaleEnds);
    this.buildForm(fieldset, mine !== null);
  }

  private buildForm(fieldset: HTMLFieldSetElement, voted: boolean): void {
    this.submit = h('button', { type: 'submit', class: 'button button-primary' });
    this.form = h('form', { class: 'vote-form', novalidate: true, 'aria-labelledby': this.headingId, on: { submit: (e) => this.onSubmit(e) } }, fieldset, h('div', { class: 'form-actions' }, this.submit));
    if (voted && this.voteState.kind === 'idle') this.voteState = { kind: 'remembered' };
    this.renderSubmit();
    this.heading.after(this.form);
  }

  private removeForm(): void {
    this.form?.remove();
    this.form = this.submit = this.hint = null;
    this.ranking = null;
  }

  private onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    const form = this.form;
    if (!form) return;
    const values = this.ranking ? this.ranking.order() : [...form.querySelectorAll<HTMLInputElement>('input:checked')].map((i) => i.value);
    const { poll } = this.entry;
    const result = voteFromSelection(poll, values);
    if ('error' in result) {
      this.voteState = { kind: 'invalid', message: result.error, params: result.params };
      this.renderStatus();
      form.querySelector<HTMLInputElement>('input')?.focus();
      return;
    }
    const seq = ++this.sendSeq;
    this.voteState = { kind: 'sending' };
    this.renderStatus();
    this.deps.send(poll, result.vote).then(
      () => {
        if (seq !== this.sendSeq) return;
        this.voteState = { kind: 'counted' };
        this.renderStatus();
        this.renderSubmit();
      },
      (error: unknown) => {
        if (seq !== this.sendSeq) return;
        const code = error instanceof ActionError ? error.code : 'internal';
        this.voteState = { kind: 'failed', message: ERROR_MESSAGES[code] ?? 'vote.error.other' };
        this.renderStatus();
      },
    );
  }

  private renderHint(hint: HTMLElement): void {
    const { poll } = this.entry;
    if (poll.kind === 'ranking') setText(hint, 'ranking.hint');
    else if (poll.kind === 'quiz') setText(hint, 'vote.hint.quiz', { max: selectionLimit(poll) });
    else if (poll.kind === 'single') setText(hint, 'vote.hint.single');
    else if (poll.kind === 'rating') setText(hint, 'vote.hint.rating', { scale: poll.scale ?? 5 });
    else {
      const max = selectionLimit(poll);
      if (max >= (poll.options?.length ?? 0)) setText(hint, 'vote.hint.multipleAny');
      else setText(hint, max === 1 ? 'vote.hint.multipleOne' : 'vote.hint.multiple', { max });
    }
  }

  private renderSubmit(): void {
    if (!this.submit) return;
    const voted = this.voteState.kind === 'counted' || this.voteState.kind === 'remembered' || this.deps.myVote(this.entry.poll.id) !== null;
    if (this.entry.poll.kind === 'ranking') setText(this.submit, voted ? 'ranking.change' : 'ranking.submit');
    else setText(this.submit, voted ? 'vote.change' : 'vote.submit');
  }

  private renderStatus(): void {
    const state = this.voteState;
    const open = this.entry.poll.state === 'open';
    const voted = this.deps.myVote(this.entry.poll.id) !== null;
    let key: MessageKey | null = null;
    let params: Record<string, number> | undefined;
    let tone = 'info';
    switch (state.kind) {
      case 'invalid':
        key = state.message;
        params = state.params;
        tone = 'error';
        break;
      case 'sending':
        key = this.deps.online() ? 'vote.sending' : 'vote.waitingOffline';
        tone = this.deps.online() ? 'info' : 'warning';
        break;
      case 'counted':
        key = open ? 'vote.counted' : 'vote.closedVoted';
        tone = 'success';
        break;
      case 'remembered':
        key = open ? 'vote.remembered' : 'vote.closedVoted';
        break;
      case 'failed':
        key = state.message;
        tone = 'error';
        break;
      default:
        key = open ? null : voted ? 'vote.closedVoted' : 'vote.closed';
    }
    this.status.dataset.tone = tone;
    if (key) {
      if (this.status.textContent !== t(key, params)) setText(this.status, key, params);
    } else if (this.status.textContent) {
      this.status.textContent = '';
      delete this.status.dataset.i18n;
    }
  }
}
