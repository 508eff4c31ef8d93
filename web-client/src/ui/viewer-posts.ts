import { ActionError } from '../lib/connection';
import { i18n, t, type MessageKey, type Params } from '../lib/i18n';
import { audienceQuestions, checkPost, MAX_NAME_CHARS, MAX_POST_CHARS, sortPosts, type PostSort, type StagePosts } from '../lib/post-store';
import type { AckMessage, Post, PostKind, StageSettings } from '../lib/protocol';
import { clearText, h, setPlainText, setText, uniqueId } from './dom';

/** Plain-language answers to the server's error codes for `post`, `upvote` and `delete`. */
export const POST_ERRORS: Record<string, MessageKey> = {
  name_required: 'post.error.nameRequired',
  invalid_field: 'post.error.invalid',
  unknown_post: 'post.error.unknownPost',
  invalid_state: 'post.error.answered',
  forbidden: 'vote.error.forbidden',
};

type Tone = 'info' | 'success' | 'warning' | 'error';
type Status = { key: MessageKey; params?: Params; tone: Tone } | null;

export interface PostFormDeps {
  send(kind: PostKind, text: string, name: string | undefined): { id: string; result: Promise<AckMessage> };
  settings(): StageSettings;
  online(): boolean;
}

/**
 * The form to ask a question, or to write a comment or feedback (`kinds` has more than one: the
 * person chooses). Anonymous by default with an optional display name, unless the stage takes no
 * anonymous posts; says when posts are checked before they appear.
 */
export class PostForm {
  readonly el: HTMLFormElement;
  private readonly text: HTMLTextAreaElement;
  private readonly name: HTMLInputElement;
  private readonly nameLabel: HTMLElement;
  private readonly nameHint: HTMLElement;
  private readonly moderationHint: HTMLElement;
  private readonly counter: HTMLElement;
  private readonly status: HTMLElement;
  private readonly kindInputs: HTMLInputElement[] = [];
  private statusState: Status = null;
  private sendingId: string | null = null;

  constructor(
    private readonly kinds: readonly PostKind[],
    private readonly deps: PostFormDeps,
  ) {
    const id = uniqueId(kinds[0] === 'question' ? 'ask' : 'comment');
    const textId = `${id}-text`;
    const nameId = `${id}-name`;
    this.text = h('textarea', { id: textId, class: 'input', rows: '3', maxlength: String(MAX_POST_CHARS * 2), 'aria-describedby': `${id}-counter ${id}-mod ${id}-status` });
    this.counter = h('p', { class: 'hint char-count', id: `${id}-counter` });
    this.name = h('input', { id: nameId, class: 'input', autocomplete: 'nickname', maxlength: String(MAX_NAME_CHARS), 'aria-describedby': `${id}-name-hint` });
    this.nameLabel = h('label', { htmlFor: nameId, class: 'label' });
    this.nameHint = h('p', { class: 'hint', id: `${id}-name-hint` });
    this.moderationHint = h('p', { class: 'hint', id: `${id}-mod` });
    this.status = h('p', { class: 'vote-status', role: 'status', id: `${id}-status` });
    let kindField: HTMLElement | null = null;
    if (kinds.length > 1) {
      kindField = h(
        'fieldset',
        { class: 'kind-choice' },
        h('legend', { class: 'label', i18n: 'post.kindLegend' }),
        ...kinds.map((kind, index) => {
          const input = h('input', { type: 'radio', name: `${id}-kind`, id: `${id}-kind-${kind}`, value: kind, checked: index === 0, on: { change: () => this.renderHints() } });
          this.kindInputs.push(input);
          return h('div', { class: 'check' }, input, h('label', { htmlFor: input.id, i18n: `post.kind.${kind}` as MessageKey }));
        }),
      );
    }
    this.text.addEventListener('input', () => this.renderCounter());
    const textLabel: MessageKey = kinds[0] === 'question' ? 'qa.textLabel' : 'comments.textLabel';
    this.el = h(
      'form',
      { class: 'card post-form', novalidate: true, on: { submit: (e) => this.onSubmit(e) } },
      kindField,
      h('div', { class: 'field' }, h('label', { htmlFor: textId, class: 'label', i18n: textLabel }), this.text, this.counter),
      h('div', { class: 'field' }, this.nameLabel, this.nameHint, this.name),
      this.moderationHint,
      h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'button button-primary', i18n: kinds[0] === 'question' ? 'qa.submit' : 'comments.submit' })),
      this.status,
    );
    this.refresh();
  }

  /** The stage's settings or the language changed. */
  refresh(): void {
    this.renderHints();
    this.renderCounter();
    this.renderStatus();
  }

  connectionChanged(): void {
    if (this.sendingId) this.renderStatus();
  }

  retrying(actionId: string, retryInMs: number): void {
    if (actionId !== this.sendingId) return;
    this.statusState = { key: 'post.rateLimited', params: { seconds: Math.max(1, Math.ceil(retryInMs / 1000)) }, tone: 'warning' };
    this.renderStatus();
  }

  private kind(): PostKind {
    return (this.kindInputs.find((i) => i.checked)?.value as PostKind | undefined) ?? this.kinds[0];
  }

  private renderHints(): void {
    const settings = this.deps.settings();
    const anonymous = settings.anonymousQuestions;
    setText(this.nameLabel, anonymous ? 'post.nameOptional' : 'post.nameRequired');
    setText(this.nameHint, anonymous ? 'post.nameHintAnonymous' : 'post.nameHintRequired');
    if (anonymous) this.name.removeAttribute('aria-required');
    else this.name.setAttribute('aria-required', 'true');
    const moderated = this.kind() === 'question' ? settings.questionModeration : settings.commentModeration;
    setText(this.moderationHint, moderated ? 'post.moderated' : 'post.notModerated');
  }

  private renderCounter(): void {
    const length = [...this.text.value.trim()].length;
    setText(this.counter, 'post.counter', { count: length, max: MAX_POST_CHARS });
    this.counter.classList.toggle('is-over', length > MAX_POST_CHARS);
  }

  private onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    if (this.sendingId) return;
    const settings = this.deps.settings();
    const checked = checkPost(this.text.value, this.name.value, settings.anonymousQuestions);
    this.text.removeAttribute('aria-invalid');
    this.name.removeAttribute('aria-invalid');
    if ('problem' in checked) {
      const control = checked.field === 'text' ? this.text : this.name;
      control.setAttribute('aria-invalid', 'true');
      this.statusState = { key: `post.error.${checked.problem}` as MessageKey, params: { max: checked.field === 'text' ? MAX_POST_CHARS : MAX_NAME_CHARS }, tone: 'error' };
      this.renderStatus();
      control.focus();
      return;
    }
    const kind = this.kind();
    const { id, result } = this.deps.send(kind, checked.text, checked.name);
    this.sendingId = id;
    this.statusState = null;
    this.renderStatus();
    result.then(
      () => {
        this.sendingId = null;
        this.text.value = '';
        this.renderCounter();
        const moderated = kind === 'question' ? this.deps.settings().questionModeration : this.deps.settings().commentModeration;
        this.statusState = { key: moderated ? 'post.sentPending' : kind === 'question' ? 'post.sentQuestion' : 'post.sentComment', tone: 'success' };
        this.renderStatus();
      },
      (error: unknown) => {
        this.sendingId = null;
        const code = error instanceof ActionError ? error.code : 'internal';
        this.statusState = { key: POST_ERRORS[code] ?? 'post.error.other', tone: 'error' };
        if (code === 'name_required') {
          this.name.setAttribute('aria-invalid', 'true');
          this.name.focus();
        }
        this.renderStatus();
      },
    );
  }

  private renderStatus(): void {
    let status = this.statusState;
    if (this.sendingId && (!status || status.tone !== 'warning')) {
      status = this.deps.online() ? { key: 'post.sending', tone: 'info' } : { key: 'post.waitingOffline', tone: 'warning' };
    }
    this.status.dataset.tone = status?.tone ?? 'info';
    if (status) {
      if (this.status.textContent !== t(status.key, status.params)) setText(this.status, status.key, status.params);
    } else if (this.status.textContent) {
      this.status.textContent = '';
      delete this.status.dataset.i18n;
    }
  }
}

export interface PostListDeps {
  upvote(post: Post, up: boolean): Promise<unknown>;
  remove(post: Post): Promise<unknown>;
  /** Asks the person before deleting. */
  confirm(message: string): boolean;
}

/** The date and time of a post, short: "09:12" today, "22.11., 09:12" on other days. */
export function postTime(iso: string, now = new Date()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const lang = i18n().lang;
  const sameDay = date.toDateString() === now.toDateString();
  const time = date.toLocaleTimeString(lang, { hour: '2-digit', minute: '2-digit' });
  return sameDay ? time : `${date.toLocaleDateString(lang, { day: 'numeric', month: 'numeric' })}, ${time}`;
}

interface ItemParts {
  li: HTMLLIElement;
  badges: HTMLElement;
  author: HTMLElement;
  time: HTMLTimeElement;
  text: HTMLElement;
  reply: HTMLElement;
  replyText: HTMLElement;
  upvote: HTMLButtonElement | null;
  upvoteCount: HTMLElement | null;
  remove: HTMLButtonElement;
  error: HTMLElement;
  post: Post;
}

/**
 * The audience's list of questions (sortable, upvotable) or of comments and feedback. Items are
 * keyed by post id and updated in place; the viewer's own pending and rejected posts are marked.
 */
export class ViewerPostList {
  readonly el: HTMLElement;
  private readonly list: HTMLUListElement;
  private readonly empty: HTMLElement;
  private readonly sortInputs: HTMLInputElement[] = [];
  private readonly items = new Map<string, ItemParts>();
  private sort: PostSort;

  constructor(
    private readonly kinds: readonly PostKind[],
    private readonly store: StagePosts,
    private readonly deps: PostListDeps,
  ) {
    const questions = kinds.includes('question');
    this.sort = questions ? 'votes' : 'time';
    const id = uniqueId(questions ? 'qa-list' : 'comment-list');
    this.list = h('ul', { class: 'post-list', 'aria-labelledby': `${id}-h` });
    this.empty = h('p', { class: 'empty-state', i18n: questions ? 'qa.empty' : 'comments.empty' });
    let sortField: HTMLElement | null = null;
    if (questions) {
      sortField = h(
        'fieldset',
        { class: 'sort-choice' },
        h('legend', { class: 'label', i18n: 'qa.sortLegend' }),
        ...(['votes', 'time'] as const).map((value) => {
          const input = h('input', { type: 'radio', name: `${id}-sort`, id: `${id}-sort-${value}`, value, checked: value === this.sort, on: { change: () => this.setSort(value) } });
          this.sortInputs.push(input);
          return h('div', { class: 'check' }, input, h('label', { htmlFor: input.id, i18n: value === 'votes' ? 'qa.sortVotes' : 'qa.sortTime' }));
        }),
      );
    }
    this.el = h('div', { class: 'post-board' }, h('h3', { id: `${id}-h`, class: 'list-heading', i18n: questions ? 'qa.listHeading' : 'comments.listHeading' }), sortField, this.empty, this.list);
    this.sync();
  }

  private setSort(sort: PostSort): void {
    this.sort = sort;
    this.sync();
  }

  /** Re-reads the store and updates the list in place. */
  sync(): void {
    const posts = this.store.all().filter((p) => this.kinds.includes(p.kind));
    const ordered = this.kinds.includes('question') ? audienceQuestions(posts, this.sort) : sortPosts(posts, 'time');
    const ids = new Set(ordered.map((p) => p.id));
    const active = document.activeElement as HTMLElement | null;
    let lostFocusAt = -1;
    [...this.items.entries()].forEach(([id, item]) => {
      if (ids.has(id)) return;
      if (active && item.li.contains(active)) lostFocusAt = [...this.list.children].indexOf(item.li);
      item.li.remove();
      this.items.delete(id);
    });
    ordered.forEach((post, index) => {
      const item = this.items.get(post.id) ?? this.createItem(post);
      this.render(item, post);
      if (this.list.children[index] !== item.li) this.list.insertBefore(item.li, this.list.children[index] ?? null);
    });
    if (active && active !== document.activeElement && document.contains(active)) active.focus();
    if (lostFocusAt >= 0) {
      const next = this.list.children[Math.min(lostFocusAt, this.list.children.length - 1)] as HTMLElement | undefined;
      const target = next?.querySelector<HTMLElement>('.post-text') ?? this.el.querySelector<HTMLElement>('.list-heading');
      if (target) {
        target.tabIndex = -1;
        target.focus();
      }
    }
    this.empty.hidden = ordered.length > 0;
  }

  refresh(): void {
    for (const item of this.items.values()) this.render(item, item.post);
  }

  private createItem(post: Post): ItemParts {
    const textId = `post-${post.id}-text`;
    const badges = h('span', { class: 'post-badges' });
    const author = h('span', { class: 'post-author' });
    const time = h('time', { class: 'post-time' });
    const text = h('p', { class: 'post-text', id: textId });
    const replyText = h('span');
    const reply = h('p', { class: 'post-reply', hidden: true }, h('strong', { i18n: 'post.replyLabel' }), ' ', replyText);
    const error = h('p', { class: 'control-error', role: 'alert' });
    let upvote: HTMLButtonElement | null = null;
    let upvoteCount: HTMLElement | null = null;
    if (post.kind === 'question') {
      upvoteCount = h('span', { class: 'upvote-count' });
      upvote = h(
        'button',
        { type: 'button', class: 'button button-small upvote', 'aria-pressed': 'false', 'aria-describedby': textId, on: { click: () => this.toggleUpvote(item) } },
        h('span', { class: 'upvote-icon', 'aria-hidden': 'true', text: '▲' }),
        h('span', { i18n: 'qa.upvote' }),
        upvoteCount,
      );
    }
    const remove = h('button', { type: 'button', class: 'button button-small button-secondary', 'aria-describedby': textId, i18n: 'post.delete', hidden: true, on: { click: () => this.remove(item) } });
    const li = h(
      'li',
      { class: 'post-item card', 'data-post-id': post.id },
      h('p', { class: 'post-meta' }, badges, author, time),
      text,
      reply,
      h('div', { class: 'post-actions' }, upvote, remove),
      error,
    );
    const item: ItemParts = { li, badges, author, time, text, reply, replyText, upvote, upvoteCount, remove, error, post };
    this.items.set(post.id, item);
    return item;
  }

  private render(item: ItemParts, post: Post): void {
    item.post = post;
    const mine = this.store.isOwn(post);
    const badges: Array<[MessageKey, string]> = [];
    if (post.pinned) badges.push(['qa.pinned', 'badge-pinned']);
    if (mine) badges.push([post.kind === 'question' ? 'post.mineQuestion' : 'post.mine', 'badge-quiet']);
    if (post.state === 'pending') badges.push(['post.pending', 'badge-draft']);
    if (post.state === 'rejected') badges.push(['post.rejected', 'badge-rejected']);
    if (post.answered) badges.push(['qa.answered', 'badge-closed']);
    if (post.kind === 'feedback') badges.push(['post.kind.feedback', 'badge-quiet']);
    const signature = badges.map(([k]) => k).join(',') + i18n().lang;
    if (item.badges.dataset.sig !== signature) {
      item.badges.dataset.sig = signature;
      item.badges.replaceChildren(...badges.map(([key, cls]) => h('span', { class: `badge ${cls}`, i18n: key })));
    }
    item.li.classList.toggle('is-pinned', post.pinned);
    item.li.classList.toggle('is-mine', mine);
    item.li.dataset.state = post.state;
    if (post.displayName) setPlainText(item.author, post.displayName);
    else setText(item.author, 'post.anonymous');
    item.time.dateTime = post.createdAt;
    setPlainText(item.time, postTime(post.createdAt));
    setPlainText(item.text, post.text);
    item.reply.hidden = !post.reply;
    setPlainText(item.replyText, post.reply ?? '');
    if (item.upvote && item.upvoteCount) {
      const up = this.store.upvoted(post.id);
      item.upvote.setAttribute('aria-pressed', String(up));
      item.upvote.hidden = post.state !== 'published';
      setPlainText(item.upvoteCount, i18n().number(post.upvotes));
    }
    item.remove.hidden = !mine || post.answered;
  }

  private toggleUpvote(item: ItemParts): void {
    const post = item.post;
    const up = !this.store.upvoted(post.id);
    this.store.setUpvoted(post.id, up);
    clearText(item.error);
    this.render(item, post);
    this.deps.upvote(post, up).catch((error: unknown) => {
      this.store.setUpvoted(post.id, !up);
      const code = error instanceof ActionError ? error.code : 'internal';
      setText(item.error, POST_ERRORS[code] ?? 'post.error.other');
      this.render(item, item.post);
    });
  }

  private remove(item: ItemParts): void {
    const post = item.post;
    if (!this.deps.confirm(t(post.kind === 'question' ? 'post.confirmDeleteQuestion' : 'post.confirmDelete'))) return;
    item.remove.setAttribute('aria-disabled', 'true');
    this.deps.remove(post).then(
      () => {
        // The `post` push with state deleted removes it; the server's answer may come first.
        this.store.forget(post.id);
        this.sync();
      },
      (error: unknown) => {
        item.remove.removeAttribute('aria-disabled');
        const code = error instanceof ActionError ? error.code : 'internal';
        setText(item.error, POST_ERRORS[code] ?? 'post.error.other');
      },
    );
  }
}
