import { ActionError } from '../lib/connection';
import { t, type MessageKey, type Params } from '../lib/i18n';
import type { PollEntry } from '../lib/poll-store';
import { checkPost, MAX_POST_CHARS } from '../lib/post-store';
import type { AckMessage, Post, StageSettings } from '../lib/protocol';
import { Countdown } from './countdown';
import { h, preservingFocus, setPlainText, setText } from './dom';

/** What the open-text card needs from the page: sending, the viewer's own answers, the stage's rules. */
export interface AnswerDeps {
  send(pollId: string, text: string): Promise<AckMessage>;
  /** This viewer's answers to the poll (pending, published or rejected), oldest first. */
  mine(pollId: string): Post[];
  settings(): StageSettings;
  online(): boolean;
}

const ERRORS: Record<string, MessageKey> = {
  poll_not_open: 'answer.error.closed',
  poll_closed: 'answer.error.closed',
  unknown_poll: 'answer.error.closed',
  blocked_word: 'answer.error.blocked',
  name_required: 'answer.error.nameRequired',
  rate_limited: 'answer.error.rateLimited',
  invalid_field: 'answer.error.tooLong',
};

type Status = { key: MessageKey; params?: Params; tone: 'info' | 'success' | 'warning' | 'error' } | null;

/**
 * An open-text question (a poll of kind `text`) as a viewer sees it: the question, while it is
 * open a text area with a character counter, and the viewer's own answers with their moderation
 * state. The same outward shape as {@link ViewerPollCard}, so the page lists both alike.
 */
export class ViewerTextPollCard {
  readonly el: HTMLElement;
  private readonly headingId: string;
  private readonly heading: HTMLHeadingElement;
  private readonly stateBadge: HTMLElement;
  private readonly kindLabel: HTMLElement;
  private readonly countdown = new Countdown();
  private readonly status: HTMLElement;
  private readonly mineBox: HTMLElement;
  private readonly mineList: HTMLUListElement;
  private form: HTMLFormElement | null = null;
  private text: HTMLTextAreaElement | null = null;
  private counter: HTMLElement | null = null;
  private hint: HTMLElement | null = null;
  private state: Status = null;
  private sending = false;

  constructor(
    private entry: PollEntry,
    private readonly deps: AnswerDeps,
  ) {
    const id = entry.poll.id;
    this.headingId = `poll-${id}-q`;
    this.heading = h('h3', { id: this.headingId, class: 'poll-question', tabindex: '-1' });
    this.stateBadge = h('span', { class: 'badge' });
    this.kindLabel = h('span', { class: 'poll-kind', i18n: 'poll.kind.text' });
    this.status = h('p', { class: 'vote-status', role: 'status', id: `poll-${id}-status` });
    this.mineList = h('ul', { class: 'answer-list' });
    this.mineBox = h('section', { class: 'my-answers', 'aria-labelledby': `poll-${id}-mine`, hidden: true }, h('h4', { id: `poll-${id}-mine`, class: 'results-heading', i18n: 'answer.mine' }), this.mineList);
    this.el = h(
      'article',
      { class: 'card poll-card text-poll-card', 'aria-labelledby': this.headingId, 'data-poll-id': id },
      h('p', { class: 'poll-meta' }, this.stateBadge, ' ', this.kindLabel, ' ', this.countdown.el),
      this.heading,
      this.status,
      this.mineBox,
    );
    this.update(entry);
  }

  get pollId(): string {
    return this.entry.poll.id;
  }

  update(entry: PollEntry): void {
    this.entry = entry;
    const { poll } = entry;
    setPlainText(this.heading, poll.question);
    setText(this.stateBadge, poll.state === 'open' ? 'poll.state.open' : 'poll.state.closed');
    this.stateBadge.className = `badge badge-${poll.state}`;
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
    this.syncMine();
  }

  /** A text poll has no results to show. */
  updateResults(entry: PollEntry): void {
    this.entry = entry;
  }

  connectionChanged(): void {
    if (this.sending) this.renderStatus();
  }

  refresh(): void {
    this.renderCounter();
    this.renderHint();
    this.renderStatus();
    this.syncMine();
  }

  /** The viewer's own answers: shown under the question with their moderation state. */
  syncMine(): void {
    const mine = this.deps.mine(this.entry.poll.id).filter((p) => p.state !== 'deleted');
    this.mineBox.hidden = mine.length === 0;
    this.mineList.replaceChildren(
      ...mine
        .slice()
        .reverse()
        .map((p) => h('li', { class: `answer answer-${p.state}` }, h('p', { class: 'answer-text', text: p.text }), h('span', { class: `badge badge-quiet`, i18n: `answer.state.${p.state === 'published' ? 'published' : p.state === 'pending' ? 'pending' : 'rejected'}` as MessageKey }))),
    );
  }

  private ensureForm(): void {
    if (this.form) return;
    const id = this.entry.poll.id;
    const textId = `poll-${id}-answer`;
    this.hint = h('p', { class: 'hint', id: `${textId}-hint` });
    this.counter = h('p', { class: 'hint char-count', id: `${textId}-counter`, 'aria-live': 'off' });
    this.text = h('textarea', { id: textId, class: 'input', rows: '4', maxlength: String(MAX_POST_CHARS * 2), 'aria-describedby': `${textId}-hint ${textId}-counter poll-${id}-status`, on: { input: () => this.renderCounter() } });
    const submit = h('button', { type: 'submit', class: 'button button-primary', i18n: 'answer.submit' });
    this.form = h(
      'form',
      { class: 'vote-form answer-form', novalidate: true, 'aria-labelledby': this.headingId, on: { submit: (e) => this.onSubmit(e) } },
      h('div', { class: 'field' }, h('label', { htmlFor: textId, class: 'label', i18n: 'answer.label' }), this.hint, this.text, this.counter),
      h('div', { class: 'form-actions' }, submit),
    );
    this.renderHint();
    this.renderCounter();
    this.heading.after(this.form);
  }

  private removeForm(): void {
    this.form?.remove();
    this.form = this.text = this.counter = this.hint = null;
  }

  private renderHint(): void {
    if (!this.hint) return;
    setText(this.hint, this.deps.settings().commentModeration ? 'answer.hintModerated' : 'answer.hint', { max: MAX_POST_CHARS });
  }

  private renderCounter(): void {
    if (!this.counter || !this.text) return;
    const length = [...this.text.value.trim()].length;
    setText(this.counter, 'answer.counter', { n: length, max: MAX_POST_CHARS });
    this.counter.classList.toggle('is-over', length > MAX_POST_CHARS);
  }

  private onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    if (!this.text || this.sending) return;
    // the name rule is the stage's; an answer is sent without a name (anonymous)
    const checked = checkPost(this.text.value, '', true);
    if ('problem' in checked) {
      this.state = { key: checked.problem === 'empty' ? 'answer.error.empty' : 'answer.error.tooLong', params: { max: MAX_POST_CHARS }, tone: 'error' };
      this.renderStatus();
      this.text.setAttribute('aria-invalid', 'true');
      this.text.focus();
      return;
    }
    this.text.removeAttribute('aria-invalid');
    this.sending = true;
    this.state = null;
    this.renderStatus();
    const moderated = this.deps.settings().commentModeration;
    this.deps.send(this.entry.poll.id, checked.text).then(
      () => {
        this.sending = false;
        if (this.text) this.text.value = '';
        this.renderCounter();
        this.state = { key: moderated ? 'answer.sentPending' : 'answer.sent', tone: 'success' };
        this.renderStatus();
        this.syncMine();
      },
      (error: unknown) => {
        this.sending = false;
        const code = error instanceof ActionError ? error.code : 'internal';
        this.state = { key: ERRORS[code] ?? 'answer.error.other', params: { max: MAX_POST_CHARS }, tone: 'error' };
        this.renderStatus();
      },
    );
  }

  private renderStatus(): void {
    let status = this.state;
    if (this.sending) status = this.deps.online() ? { key: 'answer.sending', tone: 'info' } : { key: 'answer.waitingOffline', tone: 'warning' };
    else if (!status && this.entry.poll.state !== 'open') status = { key: 'answer.closed', tone: 'info' };
    this.status.dataset.tone = status?.tone ?? 'info';
    if (status) {
      if (this.status.textContent !== t(status.key, status.params)) setText(this.status, status.key, status.params);
    } else if (this.status.textContent) {
      this.status.textContent = '';
      delete this.status.dataset.i18n;
    }
  }
}
