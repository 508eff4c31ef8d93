import { ActionError } from '../lib/connection';
import { i18n, t } from '../lib/i18n';
import { REACTION_NAMES } from '../lib/reactions';
import { clearText, h, setPlainText, setText } from './dom';

/** The name of a reaction emoji for screen readers and tooltips (the emoji itself for unknown ones). */
export function reactionName(emoji: string): string {
  return REACTION_NAMES[i18n().lang][emoji] ?? emoji;
}

export interface ReactionBarDeps {
  react(emoji: string): Promise<unknown>;
  /** Told what was sent, for a (throttled) announcement. */
  sent(emoji: string): void;
}

/**
 * One button per emoji of the stage's reaction set, with the stage's totals. Each press is one
 * `react` action (resent after a reconnect like every action); the button gives short visual
 * feedback, and the totals come back with the next push.
 */
export class ReactionBar {
  readonly el: HTMLElement;
  private readonly group: HTMLElement;
  private readonly error: HTMLElement;
  private readonly buttons = new Map<string, { button: HTMLButtonElement; name: HTMLElement; count: HTMLElement }>();
  private set: string[] = [];
  private totals: Record<string, number> = {};

  constructor(
    headingId: string,
    private readonly deps: ReactionBarDeps,
  ) {
    this.group = h('div', { class: 'reaction-bar', role: 'group', 'aria-labelledby': headingId });
    this.error = h('p', { class: 'control-error', role: 'alert' });
    this.el = h('div', { class: 'reactions' }, this.group, this.error);
  }

  setReactionSet(set: readonly string[]): void {
    if (set.join(' ') === this.set.join(' ')) return;
    this.set = [...set];
    this.buttons.clear();
    this.group.replaceChildren(
      ...this.set.map((emoji) => {
        const name = h('span', { class: 'sr-only' });
        const count = h('span', { class: 'reaction-count' });
        const button = h(
          'button',
          { type: 'button', class: 'reaction-button', 'data-emoji': emoji, on: { click: () => this.press(emoji) } },
          h('span', { class: 'reaction-emoji', 'aria-hidden': 'true', text: emoji }),
          name,
          count,
        );
        this.buttons.set(emoji, { button, name, count });
        return button;
      }),
    );
    this.refresh();
  }

  setTotals(totals: Record<string, number>): void {
    this.totals = totals;
    this.refresh();
  }

  refresh(): void {
    const tr = i18n();
    for (const [emoji, parts] of this.buttons) {
      const name = reactionName(emoji);
      setPlainText(parts.name, name);
      parts.button.title = t('reactions.send', { name });
      setPlainText(parts.count, tr.number(this.totals[emoji] ?? 0));
    }
  }

  private press(emoji: string): void {
    const parts = this.buttons.get(emoji);
    if (!parts) return;
    clearText(this.error);
    parts.button.classList.remove('is-sent');
    void parts.button.offsetWidth; // restart the short "sent" animation
    parts.button.classList.add('is-sent');
    this.deps.sent(emoji);
    this.deps.react(emoji).catch((error: unknown) => {
      const code = error instanceof ActionError ? error.code : 'internal';
      setText(this.error, code === 'unknown_reaction' ? 'reactions.error.unknown' : 'reactions.error.other');
    });
  }
}
