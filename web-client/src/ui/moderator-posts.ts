import { ApiError, type PostCommand } from '../lib/api';
import { i18n, t, type MessageKey } from '../lib/i18n';
import { queueCounts, queueList, type PostSort, type QueueTab, type StagePosts } from '../lib/post-store';
import type { Post, PostKind } from '../lib/protocol';
import { confirmDialog } from './confirm-dialog';
import { clearText, h, setPlainText, setText, uniqueId } from './dom';
import { postTime } from './viewer-posts';

export interface PostQueueDeps {
  command(post: Post, command: PostCommand): Promise<Post>;
  edit(post: Post, text: string): Promise<Post>;
  reply(post: Post, text: string | null): Promise<Post>;
  /** Mutes or unmutes the post's author on the stage; resolves with how many pending posts it hid. */
  muteAuthor?(post: Post, muted: boolean): Promise<number>;
  /** Removes the counted votes of the post's author from the stage's polls; resolves with how many polls changed. */
  removeAuthorVotes?(post: Post): Promise<number>;
  announce(text: string): void;
  /** Arrived waiting while the dashboard was open and not seen yet: marked "new". */
  isNew?(post: Post): boolean;
  /** Called on every render of a post with its own slot under the buttons (the moderator's "Show on screen"). */
  decorate?(post: Post, slot: HTMLElement): void;
}

const TABS: QueueTab[] = ['pending', 'published', 'answered', 'rejected'];

interface Item {
  li: HTMLLIElement;
  badges: HTMLElement;
  author: HTMLElement;
  time: HTMLTimeElement;
  votes: HTMLElement;
  text: HTMLElement;
  original: HTMLElement;
  originalText: HTMLElement;
  reply: HTMLElement;
  replyText: HTMLElement;
  actions: HTMLElement;
  /** Filled by `deps.decorate` (the moderator's "Show on screen"); outside `actions`, which is rebuilt. */
  extra: HTMLElement;
  buttons: Map<string, HTMLButtonElement>;
  editor: HTMLElement;
  error: HTMLElement;
  post: Post;
  busy: boolean;
}

/** Which buttons a post gets in the moderator's queue, in order. */
type PostAction = PostCommand | 'edit' | 'reply' | 'mute' | 'unmute' | 'removeVotes';

export function postActions(post: Post): Array<{ action: PostAction; label: MessageKey; primary?: boolean }> {
  const question = post.kind === 'question';
  if (post.state === 'pending') return [{ action: 'approve', label: 'mposts.approve', primary: true }, { action: 'reject', label: 'mposts.reject' }, { action: 'edit', label: 'mposts.edit' }, { action: 'mute', label: 'mposts.mute' }, { action: 'removeVotes', label: 'mposts.removeVotes' }];
  if (post.state === 'rejected') return [{ action: 'approve', label: 'mposts.approve', primary: true }, { action: 'unmute', label: 'mposts.unmute' }, { action: 'removeVotes', label: 'mposts.removeVotes' }];
  const list: Array<{ action: PostAction; label: MessageKey; primary?: boolean }> = [];
  if (question && !post.answered) {
    list.push(post.pinned ? { action: 'unpin', label: 'mposts.unpin' } : { action: 'pin', label: 'mposts.pin', primary: true });
    list.push({ action: 'answer', label: 'mposts.answer' });
  }
  if (question && post.answered) list.push({ action: 'unanswer', label: 'mposts.unanswer' });
  list.push({ action: 'reply', label: post.reply ? 'mposts.changeReply' : 'mposts.reply' }, { action: 'edit', label: 'mposts.edit' }, { action: 'reject', label: 'mposts.reject' }, { action: 'mute', label: 'mposts.mute' }, { action: 'removeVotes', label: 'mposts.removeVotes' });
  return list;
}

/**
 * The moderator's queue of questions, or of comments and feedback: radio-button tabs (pending,
 * published, answered, rejected, with counts), sorting by votes or time, and per post the
 * moderation buttons; replying and editing open a small form in place. Items are keyed by post
 * and updated in place; when a post leaves the current tab, the keyboard focus moves to the next.
 */
export class PostQueue {
  readonly el: HTMLElement;
  private readonly list: HTMLUListElement;
  private readonly empty: HTMLElement;
  private readonly tabLabels = new Map<QueueTab, HTMLElement>();
  private readonly tabInputs = new Map<QueueTab, HTMLInputElement>();
  private readonly sortSelect: HTMLSelectElement;
  private readonly items = new Map<string, Item>();
  private tab: QueueTab;
  /** When the first posts are known and none waits, the queue opens on "published". */
  private tabChosen = false;
  private sort: PostSort;
  private readonly id: string;

  constructor(
    private readonly kinds: readonly PostKind[],
    private readonly store: StagePosts,
    private readonly deps: PostQueueDeps,
    headingId: string,
  ) {
    this.id = uniqueId(kinds.includes('question') ? 'mqa' : 'mcomments');
    this.tab = 'pending';
    this.sort = kinds.includes('question') ? 'votes' : 'time';
    const tabs = h(
      'fieldset',
      { class: 'queue-tabs' },
      h('legend', { class: 'sr-only', i18n: 'mposts.show' }),
      ...TABS.filter((tab) => tab !== 'answered' || kinds.includes('question')).map((tab) => {
        const input = h('input', { type: 'radio', name: `${this.id}-tab`, id: `${this.id}-tab-${tab}`, value: tab, checked: tab === this.tab, on: { change: () => this.setTab(tab) } });
        const label = h('label', { htmlFor: input.id });
        this.tabInputs.set(tab, input);
        this.tabLabels.set(tab, label);
        return h('div', { class: 'queue-tab' }, input, label);
      }),
    );
    const sortId = `${this.id}-sort`;
    this.sortSelect = h(
      'select',
      { id: sortId, class: 'input input-narrow', on: { change: () => this.setSort(this.sortSelect.value as PostSort) } },
      h('option', { value: 'votes', i18n: 'qa.sortVotes' }),
      h('option', { value: 'time', i18n: 'mposts.sortTime' }),
    );
    this.sortSelect.value = this.sort;
    this.list = h('ul', { class: 'post-list moderator-posts', 'aria-labelledby': headingId, id: `${this.id}-list` });
    this.empty = h('p', { class: 'empty-state' });
    this.el = h(
      'div',
      { class: 'post-queue' },
      h('div', { class: 'queue-controls' }, tabs, h('div', { class: 'queue-sort' }, h('label', { htmlFor: sortId, class: 'label', i18n: 'qa.sortLegend' }), this.sortSelect)),
      this.empty,
      this.list,
    );
    this.sync();
  }

  counts(): Record<QueueTab, number> {
    return queueCounts(this.store.all().filter((p) => this.kinds.includes(p.kind)));
  }

  private setTab(tab: QueueTab): void {
    this.tab = tab;
    this.tabChosen = true;
    this.sync();
  }

  private setSort(sort: PostSort): void {
    this.sort = sort;
    this.sync();
  }

  sync(): void {
    const posts = this.store.all().filter((p) => this.kinds.includes(p.kind));
    const counts = queueCounts(posts);
    for (const [tab, label] of this.tabLabels) setText(label, `mposts.tab.${tab}` as MessageKey, { count: counts[tab] });
    if (!this.tabChosen && posts.length > 0) {
      // Decided once, when the first posts are known; later the tab never changes by itself.
      this.tabChosen = true;
      if (counts.pending === 0 && counts.published > 0) {
        this.tab = 'published';
        this.tabInputs.get('published')!.checked = true;
      }
    }
    const shown = queueList(posts, this.tab, this.sort);
    const ids = new Set(shown.map((p) => p.id));
    const active = document.activeElement as HTMLElement | null;
    let lostAt = -1;
    for (const [id, item] of [...this.items]) {
      if (ids.has(id)) continue;
      if (active && item.li.contains(active)) lostAt = [...this.list.children].indexOf(item.li);
      item.li.remove();
      this.items.delete(id);
    }
    shown.forEach((post, index) => {
      const item = this.items.get(post.id) ?? this.createItem(post);
      this.render(item, post);
      if (this.list.children[index] !== item.li) this.list.insertBefore(item.li, this.list.children[index] ?? null);
    });
    if (active && active !== document.activeElement && document.contains(active)) active.focus();
    if (lostAt >= 0) {
      // The post moved to another tab (approved, answered …): go on with the next one.
      const next = this.list.children[Math.min(lostAt, this.list.children.length - 1)] as HTMLElement | undefined;
      const target = next?.querySelector<HTMLButtonElement>('.post-actions button') ?? this.tabInputs.get(this.tab) ?? null;
      target?.focus();
    }
    setText(this.empty, `mposts.empty.${this.tab}` as MessageKey);
    this.empty.hidden = shown.length > 0;
  }

  /** Switches to "waiting" and focuses the first post marked new (the moderator asked for it). */
  showPending(): boolean {
    this.tab = 'pending';
    this.tabChosen = true;
    this.tabInputs.get('pending')!.checked = true;
    this.sync();
    const li = [...this.list.children].find((el) => el.classList.contains('is-new'));
    const text = li?.querySelector<HTMLElement>('.post-text');
    if (!text) return false;
    text.focus();
    return true;
  }

  refresh(): void {
    for (const item of this.items.values()) {
      item.badges.dataset.sig = '';
      item.actions.dataset.sig = '';
      this.render(item, item.post);
    }
    this.sync();
  }

  private createItem(post: Post): Item {
    const textId = `mpost-${post.id}-text`;
    const originalText = h('span');
    const replyText = h('span');
    const item: Item = {
      li: h('li', { class: 'post-item card', 'data-post-id': post.id }),
      badges: h('span', { class: 'post-badges' }),
      author: h('span', { class: 'post-author' }),
      time: h('time', { class: 'post-time' }),
      votes: h('span', { class: 'post-votes' }),
      text: h('p', { class: 'post-text', id: textId, tabindex: '-1' }),
      original: h('p', { class: 'post-original', hidden: true }, h('span', { class: 'muted', i18n: 'mposts.original' }), ' ', originalText),
      originalText,
      reply: h('p', { class: 'post-reply', hidden: true }, h('strong', { i18n: 'post.replyLabel' }), ' ', replyText),
      replyText,
      actions: h('div', { class: 'post-actions' }),
      extra: h('div', { class: 'post-extra' }),
      buttons: new Map(),
      editor: h('div', { class: 'post-editor', hidden: true }),
      error: h('p', { class: 'control-error', role: 'alert' }),
      post,
      busy: false,
    };
    item.li.append(h('p', { class: 'post-meta' }, item.badges, item.author, item.time, item.votes), item.text, item.original, item.reply, item.actions, item.extra, item.editor, item.error);
    this.items.set(post.id, item);
    return item;
  }

  private render(item: Item, post: Post): void {
    item.post = post;
    const tr = i18n();
    const badges: Array<[MessageKey, string]> = [];
    const fresh = this.deps.isNew?.(post) ?? false;
    if (fresh) badges.push(['mcue.newBadge', 'badge-new']);
    item.li.classList.toggle('is-new', fresh);
    if (post.kind !== 'question') badges.push([`post.kind.${post.kind}` as MessageKey, 'badge-quiet']);
    if (post.state === 'pending') badges.push(['post.pending', 'badge-draft']);
    if (post.state === 'rejected') badges.push(['post.rejected', 'badge-rejected']);
    if (post.pinned) badges.push(['qa.pinned', 'badge-pinned']);
    if (post.answered) badges.push(['qa.answered', 'badge-closed']);
    if (post.edited) badges.push(['mposts.edited', 'badge-quiet']);
    const sig = badges.map(([k]) => k).join(',') + tr.lang;
    if (item.badges.dataset.sig !== sig) {
      item.badges.dataset.sig = sig;
      item.badges.replaceChildren(...badges.map(([key, cls]) => h('span', { class: `badge ${cls}`, i18n: key })));
    }
    item.li.dataset.state = post.state;
    item.li.classList.toggle('is-pinned', post.pinned);
    if (post.displayName) setPlainText(item.author, post.displayName);
    else setText(item.author, 'post.anonymous');
    item.time.dateTime = post.createdAt;
    setPlainText(item.time, postTime(post.createdAt));
    item.votes.hidden = post.kind !== 'question';
    setPlainText(item.votes, tr.plural('mposts.upvotes', post.upvotes));
    setPlainText(item.text, post.text);
    item.original.hidden = !post.edited || !post.originalText;
    setPlainText(item.originalText, post.originalText ?? '');
    item.reply.hidden = !post.reply;
    setPlainText(item.replyText, post.reply ?? '');
    this.renderActions(item);
    this.deps.decorate?.(post, item.extra);
  }

  private renderActions(item: Item): void {
    const actions = postActions(item.post);
    const sig = actions.map((a) => `${a.action}:${a.label}`).join(',') + i18n().lang;
    if (item.actions.dataset.sig === sig) return;
    item.actions.dataset.sig = sig;
    const focusedAction = [...item.buttons.entries()].find(([, b]) => b === document.activeElement)?.[0];
    const buttons = new Map<string, HTMLButtonElement>();
    // Buttons are reused by action, so the focus stays on a button that still exists.
    for (const { action, label, primary } of actions) {
      const button =
        item.buttons.get(action) ??
        h('button', {
          type: 'button',
          class: 'button button-small',
          'aria-describedby': item.text.id,
          'data-action': action,
          on: { click: () => this.act(item, action) },
        });
      button.className = `button button-small ${primary ? 'button-primary' : action === 'reject' || action === 'mute' || action === 'removeVotes' ? 'button-danger-outline' : 'button-secondary'}`;
      setText(button, label);
      buttons.set(action, button);
    }
    item.buttons = buttons;
    item.actions.replaceChildren(...buttons.values());
    if (focusedAction && !buttons.has(focusedAction)) (buttons.values().next().value ?? item.text).focus();
  }

  private act(item: Item, action: PostAction): void {
    if (action === 'edit' || action === 'reply') {
      this.openEditor(item, action);
      return;
    }
    if (action === 'removeVotes') {
      const remove = this.deps.removeAuthorVotes;
      if (!remove) return;
      let changed = 0;
      // removing votes cannot be undone: the moderator confirms it in a modal dialog
      void confirmDialog({
        title: 'mposts.removeVotesTitle',
        message: t('mposts.removeVotesMessage', { text: shorten(item.post.text) }),
        confirm: 'mposts.removeVotesConfirm',
        action: () => remove(item.post).then((n) => {
          changed = n;
        }),
      }).then((done) => {
        if (done) this.deps.announce(i18n().plural('mposts.done.removeVotes', changed));
      });
      return;
    }
    if (action === 'mute' || action === 'unmute') {
      const mute = this.deps.muteAuthor;
      if (!mute) return;
      this.guard(item, () =>
        mute(item.post, action === 'mute').then((hidden) => {
          this.deps.announce(t(action === 'mute' ? 'mposts.done.mute' : 'mposts.done.unmute', { count: hidden }));
        }),
      );
      return;
    }
    this.guard(item, () =>
      this.deps.command(item.post, action).then((post) => {
        this.deps.announce(t(`mposts.done.${action}` as MessageKey, { text: shorten(post.text) }));
      }),
    );
  }

  private openEditor(item: Item, mode: 'edit' | 'reply'): void {
    const id = `${item.text.id}-${mode}`;
    const textarea = h('textarea', { id, class: 'input', rows: '3', maxlength: '1000' });
    textarea.value = mode === 'edit' ? item.post.text : (item.post.reply ?? '');
    const close = () => {
      item.editor.hidden = true;
      item.editor.replaceChildren();
      (item.buttons.get(mode) ?? item.text).focus();
    };
    const form = h(
      'form',
      {
        class: 'post-edit-form',
        novalidate: true,
        on: {
          submit: (e) => {
            e.preventDefault();
            const value = textarea.value.trim();
            if (mode === 'edit' && !value) {
              setText(item.error, 'post.error.empty');
              textarea.focus();
              return;
            }
            this.guard(item, () =>
              (mode === 'edit' ? this.deps.edit(item.post, value) : this.deps.reply(item.post, value || null)).then(() => {
                this.deps.announce(t(mode === 'edit' ? 'mposts.done.edit' : value ? 'mposts.done.reply' : 'mposts.done.replyRemoved', { text: shorten(item.post.text) }));
                close();
              }),
            );
          },
          keydown: (e) => {
            if (e.key === 'Escape') close();
          },
        },
      },
      h('label', { htmlFor: id, class: 'label', i18n: mode === 'edit' ? 'mposts.editLabel' : 'mposts.replyLabel' }),
      mode === 'reply' ? h('p', { class: 'hint', i18n: 'mposts.replyHint' }) : h('p', { class: 'hint', i18n: 'mposts.editHint' }),
      textarea,
      h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'button button-primary button-small', i18n: 'mposts.save' }), h('button', { type: 'button', class: 'button button-secondary button-small', i18n: 'mcloud.cancel', on: { click: close } })),
    );
    item.editor.replaceChildren(form);
    item.editor.hidden = false;
    textarea.focus();
  }

  private guard(item: Item, action: () => Promise<unknown>): void {
    if (item.busy) return;
    item.busy = true;
    clearText(item.error);
    item.li.setAttribute('aria-busy', 'true');
    action()
      .catch((e: unknown) => {
        const detail = e instanceof ApiError ? e.message : String(e);
        setText(item.error, 'moderator.commandFailed', { detail });
      })
      .finally(() => {
        item.busy = false;
        item.li.removeAttribute('aria-busy');
      });
  }
}

function shorten(text: string): string {
  const chars = [...text];
  return chars.length > 60 ? `${chars.slice(0, 57).join('')}…` : text;
}
