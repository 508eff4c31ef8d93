import { i18n, t } from '../lib/i18n';
import { currentTalk, formatTalkHours, nextTalkChange, sortTalks, type Talk } from '../lib/talks';
import { h, setPlainText } from './dom';

/** Calls `onTick` when the running talk may have changed (the next start or end), not every second. */
export class TalkClock {
  private timer?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly onTick: () => void,
    private readonly now: () => number = Date.now,
  ) {}

  watch(talks: readonly Talk[]): void {
    clearTimeout(this.timer);
    const wait = nextTalkChange(talks, this.now());
    if (wait === null) return;
    // Long waits are re-checked hourly (timers drift while a laptop sleeps).
    this.timer = setTimeout(() => {
      this.onTick();
      this.watch(talks);
    }, Math.min(wait + 50, 3_600_000));
  }

  stop(): void {
    clearTimeout(this.timer);
  }
}

/** A stage's programme, read-only, with the running talk marked (moderator dashboard). */
export class ProgrammeView {
  readonly el: HTMLElement;
  private readonly list = h('ol', { class: 'plain-list talk-list' });
  private readonly empty = h('p', { class: 'empty-state', i18n: 'talks.none' });
  private talks: Talk[] = [];
  private readonly clock: TalkClock;

  constructor(private readonly now: () => number = Date.now) {
    this.clock = new TalkClock(() => this.refresh(), now);
    this.el = h('div', { class: 'programme' }, this.empty, this.list);
  }

  update(talks: readonly Talk[]): void {
    this.talks = sortTalks(talks);
    this.refresh();
    this.clock.watch(this.talks);
  }

  refresh(): void {
    const running = currentTalk(this.talks, this.now());
    const lang = i18n().lang;
    this.empty.hidden = this.talks.length > 0;
    this.list.replaceChildren(
      ...this.talks.map((talk) => {
        const isNow = talk.id === running?.id;
        return h(
          'li',
          { class: isNow ? 'talk-item is-current' : 'talk-item', 'data-talk-id': talk.id, 'aria-current': isNow ? 'time' : undefined },
          h('p', { class: 'talk-time' }, h('span', { text: formatTalkHours(talk, lang) }), isNow ? h('span', { class: 'badge badge-open talk-now', i18n: 'talks.now' }) : null),
          h('p', { class: 'talk-title', text: talk.title }),
          talk.speakers ? h('p', { class: 'muted talk-speakers', text: talk.speakers }) : null,
        );
      }),
    );
  }

  stop(): void {
    this.clock.stop();
  }
}

/**
 * "Now: <title>" for viewers, the hall screen and the stream overlay; hidden when no talk runs.
 * Not a live region: a new talk is no news worth interrupting a screen reader for.
 */
export class CurrentTalkLine {
  readonly el: HTMLElement;
  private readonly title: HTMLElement;
  private readonly speakers: HTMLElement;
  private talks: Talk[] = [];
  private readonly clock: TalkClock;

  constructor(
    className: string,
    private readonly now: () => number = Date.now,
  ) {
    this.clock = new TalkClock(() => this.refresh(), now);
    this.title = h('span', { class: 'current-talk-title' });
    this.speakers = h('span', { class: 'current-talk-speakers' });
    this.el = h('p', { class: `current-talk ${className}`, hidden: true }, h('span', { class: 'current-talk-label' }), this.title, this.speakers);
  }

  /** The talk shown, or null. */
  get shown(): Talk | null {
    return currentTalk(this.talks, this.now());
  }

  update(talks: readonly Talk[]): void {
    this.talks = sortTalks(talks);
    this.refresh();
    this.clock.watch(this.talks);
  }

  refresh(): void {
    const talk = this.shown;
    this.el.hidden = !talk;
    if (!talk) return;
    setPlainText(this.el.firstChild!, `${t('talks.currentLabel')}: `);
    setPlainText(this.title, talk.title);
    setPlainText(this.speakers, talk.speakers ? ` – ${talk.speakers}` : '');
  }
}
