import { checkWordEntry, wordKey, type CloudEntry, type MyEntry } from '../lib/cloud-store';
import { ActionError } from '../lib/connection';
import { t, type MessageKey, type Params } from '../lib/i18n';
import type { AckMessage, WordCloud } from '../lib/protocol';
import { h, preservingFocus, setPlainText, setText } from './dom';
import { WordCloudView } from './word-cloud';

export interface CloudDeps {
  send(cloud: WordCloud, text: string): { id: string; result: Promise<AckMessage> };
  entries(cloudId: string): MyEntry[];
  used(cloudId: string): number;
  added(cloudId: string, entry: MyEntry): void;
  full(cloudId: string, max: number): void;
  online(): boolean;
}

/** Plain-language answers to the server's error codes for `word` (docs/protocol.md). */
export const WORD_ERRORS: Record<string, MessageKey> = {
  blocked_word: 'cloud.error.blocked',
  already_submitted: 'cloud.error.already',
  too_many_entries: 'cloud.error.tooMany',
  cloud_not_open: 'cloud.error.notOpen',
  unknown_cloud: 'cloud.error.unknown',
  invalid_field: 'cloud.error.invalid',
  forbidden: 'vote.error.forbidden',
};

type Status = { key: MessageKey; params?: Params; tone: 'info' | 'success' | 'warning' | 'error' } | null;

/**
 * A word cloud as a viewer sees it: the prompt, a field to submit entries while it is open
 * ("2 of 3 used"), the entries they sent, and the cloud once the moderator shows it.
 */
export class ViewerCloudCard {
  readonly el: HTMLElement;
  private readonly heading: HTMLHeadingElement;
  private readonly stateBadge: HTMLElement;
  private readonly status: HTMLElement;
  private readonly usedText: HTMLElement;
  private readonly mine: HTMLElement;
  private readonly mineList: HTMLUListElement;
  private readonly resultsBox: HTMLElement;
  private readonly view: WordCloudView;
  private form: HTMLFormElement | null = null;
  private input: HTMLInputElement | null = null;
  private statusState: Status = null;
  private readonly sending = new Map<string, string>();

  constructor(
    private entry: CloudEntry,
    private readonly deps: CloudDeps,
  ) {
    const id = entry.cloud.id;
    const headingId = `cloud-${id}-q`;
    this.heading = h('h3', { id: headingId, class: 'poll-question', tabindex: '-1' });
    this.stateBadge = h('span', { class: 'badge' });
    this.status = h('p', { class: 'vote-status', role: 'status', id: `cloud-${id}-status` });
    this.usedText = h('p', { class: 'entries-used', id: `cloud-${id}-used` });
    this.mineList = h('ul', { class: 'my-words', 'aria-labelledby': `cloud-${id}-mine-h` });
    this.mine = h('div', { class: 'my-words-box', hidden: true }, h('h4', { id: `cloud-${id}-mine-h`, class: 'results-heading', i18n: 'cloud.mine' }), this.mineList);
    this.view = new WordCloudView({ labelledBy: `cloud-${id}-rh`, minSize: 1, maxSize: 2.6 });
    this.resultsBox = h(
      'section',
      { class: 'poll-results cloud-results', 'aria-labelledby': `cloud-${id}-rh ${headingId}`, hidden: true },
      h('h4', { id: `cloud-${id}-rh`, class: 'results-heading', i18n: 'cloud.resultsHeading' }),
      this.view.el,
    );
    this.el = h(
      'article',
      { class: 'card poll-card cloud-card', 'aria-labelledby': headingId, 'data-cloud-id': id },
      h('p', { class: 'poll-meta' }, this.stateBadge, ' ', h('span', { class: 'poll-kind', i18n: 'cloud.kind' })),
      this.heading,
      this.usedText,
      this.status,
      this.mine,
      this.resultsBox,
    );
    this.update(entry);
  }

  update(entry: CloudEntry): void {
    this.entry = entry;
    const { cloud } = entry;
    setPlainText(this.heading, cloud.prompt);
    setText(this.stateBadge, cloud.state === 'open' ? 'poll.state.open' : 'poll.state.closed');
    this.stateBadge.className = `badge badge-${cloud.state}`;
    preservingFocus(
      this.el,
      () => {
        if (cloud.state === 'open' && this.remaining() > 0) this.ensureForm();
        else this.removeForm();
      },
      () => this.heading,
    );
    this.renderUsed();
    this.renderMine();
    this.renderStatus();
    this.updateResults(entry);
  }

  updateResults(entry: CloudEntry): void {
    this.entry = entry;
    const visible = entry.cloud.resultsVisible && entry.results !== null;
    if (visible) this.view.update(entry.results);
    this.resultsBox.hidden = !visible;
  }

  connectionChanged(): void {
    if (this.sending.size) this.renderStatus();
  }

  /** An action of ours waits for a retry (rate limit): say so. */
  retrying(actionId: string, retryInMs: number): void {
    if (!this.sending.has(actionId)) return;
    this.setStatus({ key: 'cloud.rateLimited', params: { seconds: Math.max(1, Math.ceil(retryInMs / 1000)) }, tone: 'warning' });
  }

  refresh(): void {
    this.view.refresh();
    this.renderUsed();
    this.renderStatus();
  }

  private remaining(): number {
    return Math.max(0, this.entry.cloud.maxEntries - this.deps.used(this.entry.cloud.id) - this.sending.size);
  }

  private ensureForm(): void {
    if (this.form) return;
    const id = this.entry.cloud.id;
    const inputId = `cloud-${id}-input`;
    this.input = h('input', {
      id: inputId,
      class: 'input',
      name: 'word',
      autocomplete: 'off',
      enterkeyhint: 'send',
      maxlength: '60',
      'aria-describedby': `cloud-${id}-hint cloud-${id}-used cloud-${id}-status`,
    });
    this.form = h(
      'form',
      { class: 'word-form', novalidate: true, on: { submit: (e) => this.onSubmit(e) } },
      h('label', { htmlFor: inputId, class: 'label', i18n: 'cloud.inputLabel' }),
      h('p', { class: 'hint', id: `cloud-${id}-hint`, i18n: 'cloud.hint' }),
      h('div', { class: 'input-with-button' }, this.input, h('button', { type: 'submit', class: 'button button-primary', i18n: 'cloud.submit' })),
    );
    this.heading.after(this.form);
  }

  private removeForm(): void {
    this.form?.remove();
    this.form = this.input = null;
  }

  private onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    const input = this.input;
    if (!input) return;
    const checked = checkWordEntry(input.value);
    if ('problem' in checked) {
      input.setAttribute('aria-invalid', 'true');
      this.setStatus({ key: `cloud.error.${checked.problem}` as MessageKey, tone: 'error' });
      input.focus();
      return;
    }
    const key = wordKey(checked.text);
    if (this.deps.entries(this.entry.cloud.id).some((e) => e.key === key)) {
      input.setAttribute('aria-invalid', 'true');
      this.setStatus({ key: 'cloud.error.already', tone: 'error' });
      input.focus();
      return;
    }
    input.removeAttribute('aria-invalid');
    const text = checked.text;
    const cloud = this.entry.cloud;
    const { id, result } = this.deps.send(cloud, text);
    this.sending.set(id, text);
    input.value = '';
    this.setStatus(null);
    this.renderStatus();
    this.renderUsed();
    result.then(
      (ack) => {
        this.sending.delete(id);
        this.deps.added(cloud.id, { key: ack.key ?? key, text });
        this.setStatus({ key: 'cloud.sent', params: { word: text }, tone: 'success' });
        this.afterAnswer();
      },
      (error: unknown) => {
        this.sending.delete(id);
        const code = error instanceof ActionError ? error.code : 'internal';
        if (code === 'too_many_entries') this.deps.full(cloud.id, cloud.maxEntries);
        if (code === 'already_submitted') this.deps.added(cloud.id, { key, text });
        const message = WORD_ERRORS[code] ?? 'cloud.error.other';
        this.setStatus({ key: message, params: { word: text, max: cloud.maxEntries }, tone: 'error' });
        // Give the word back for correcting, unless the person typed the next one already.
        if (this.input && !this.input.value && code !== 'already_submitted' && code !== 'too_many_entries') {
          this.input.value = text;
          this.input.setAttribute('aria-invalid', 'true');
        }
        this.afterAnswer();
      },
    );
  }

  private afterAnswer(): void {
    this.update(this.entry);
  }

  private setStatus(status: Status): void {
    this.statusState = status;
    this.renderStatus();
  }

  private renderStatus(): void {
    let status = this.statusState;
    if (this.sending.size && (!status || status.tone !== 'warning')) {
      status = this.deps.online() ? { key: 'cloud.sending', tone: 'info' } : { key: 'cloud.waitingOffline', tone: 'warning' };
    }
    if (!status && this.entry.cloud.state !== 'open') status = { key: 'cloud.closed', tone: 'info' };
    this.status.dataset.tone = status?.tone ?? 'info';
    if (status) {
      if (this.status.textContent !== t(status.key, status.params)) setText(this.status, status.key, status.params);
    } else if (this.status.textContent) {
      this.status.textContent = '';
      delete this.status.dataset.i18n;
    }
  }

  private renderUsed(): void {
    const { cloud } = this.entry;
    const used = Math.min(cloud.maxEntries, this.deps.used(cloud.id));
    if (cloud.state !== 'open') {
      this.usedText.hidden = used === 0;
    } else {
      this.usedText.hidden = false;
    }
    if (used >= cloud.maxEntries) setText(this.usedText, 'cloud.allUsed', { max: cloud.maxEntries });
    else setText(this.usedText, 'cloud.used', { used, max: cloud.maxEntries });
  }

  private renderMine(): void {
    const entries = this.deps.entries(this.entry.cloud.id);
    this.mine.hidden = entries.length === 0;
    const current = [...this.mineList.children].map((li) => li.textContent);
    if (current.join('\n') !== entries.map((e) => e.text).join('\n')) {
      this.mineList.replaceChildren(...entries.map((e) => h('li', { class: 'word-chip', text: e.text })));
    }
  }
}
