import { ApiError } from '../lib/api';
import { t, type MessageKey } from '../lib/i18n';
import type { Presentation, PresentationKind } from '../lib/protocol';
import { clearText, h, setPlainText, setText } from './dom';

export const AUTO_PRESENTATION: Presentation = { kind: 'auto', target: null, since: null };

export interface PresentDeps {
  /** Sends the choice (PUT stages/{id}/presentation) and answers with what is on screen now. */
  present(kind: PresentationKind, target: string | null): Promise<Presentation>;
  /** The question, prompt or text of a poll, cloud or post, for "On screen now: …"; null when unknown. */
  title(kind: PresentationKind, target: string): string | null;
  announce(text: string): void;
}

/** "Now on screen" in words: the kind and, for a single item, its question or text. */
export function describePresentation(p: Presentation, title: string | null): string {
  const name = title ?? p.target ?? '';
  switch (p.kind) {
    case 'auto':
      return t('present.now.auto');
    case 'nothing':
      return t('present.now.nothing');
    case 'questions':
      return t('present.now.questions');
    case 'leaderboard':
      return t('present.now.leaderboard');
    case 'poll':
      return t('present.now.poll', { title: name });
    case 'results':
      return t('present.now.results', { title: name });
    case 'cloud':
      return t('present.now.cloud', { title: name });
    case 'question':
      return t('present.now.question', { title: name });
    default:
      return t('present.now.other', { kind: String(p.kind) });
  }
}

/** What a refused choice means, in plain words (the server's `code`, docs/rest.md). */
export function presentErrorKey(error: unknown): MessageKey {
  if (!(error instanceof ApiError)) return 'present.error.network';
  if (error.code === 'invalid_state') return 'present.error.invalidState';
  if (error.code.startsWith('unknown_')) return 'present.error.unknown';
  if (error.status === 401 || error.status === 403) return 'present.error.forbidden';
  return 'present.error.failed';
}

const same = (a: Presentation, kind: PresentationKind, target: string | null) => a.kind === kind && (a.target ?? null) === target;

interface Toggle {
  button: HTMLButtonElement;
  kind: PresentationKind;
  target: string | null;
}

/**
 * One group of "present this" buttons (on a poll card, a cloud card, a question, or the stage's
 * bar): toggle buttons whose `aria-pressed` says what is on screen now, a visible "On screen"
 * badge, and the group's own error line next to the buttons that caused it. Pressing the button
 * that is on screen goes back to the automatic choice.
 */
export class PresentGroup {
  readonly el: HTMLElement;
  private readonly badge: HTMLElement;
  private readonly error: HTMLElement;
  private readonly toggles: Toggle[] = [];
  private busy = false;

  constructor(
    private readonly control: PresentControl,
    className: string,
  ) {
    this.badge = h('span', { class: 'badge badge-on-screen', i18n: 'present.onScreen', hidden: true });
    this.error = h('p', { class: 'control-error present-error', role: 'alert' });
    this.el = h('div', { class: `present-controls ${className}` }, this.badge, this.error);
  }

  add(kind: PresentationKind, target: string | null, label: MessageKey, describedBy?: string): HTMLButtonElement {
    const button = h('button', {
      type: 'button',
      class: 'button button-small button-present',
      i18n: label,
      'aria-pressed': 'false',
      'aria-describedby': describedBy,
      'data-present': kind,
      on: { click: () => this.choose(kind, target) },
    });
    this.toggles.push({ button, kind, target });
    this.el.insertBefore(button, this.badge);
    this.sync(this.control.current);
    return button;
  }

  /** Hidden while the item cannot be shown (a draft poll or cloud, a question that is not published). */
  setAvailable(available: boolean): void {
    this.el.hidden = !available;
  }

  sync(current: Presentation): void {
    let on = false;
    for (const toggle of this.toggles) {
      const pressed = same(current, toggle.kind, toggle.target);
      on ||= pressed;
      toggle.button.setAttribute('aria-pressed', String(pressed));
      toggle.button.classList.toggle('is-on-screen', pressed);
    }
    // "Automatic" pressed is the normal state: no badge for it.
    this.badge.hidden = !on || current.kind === 'auto';
  }

  private choose(kind: PresentationKind, target: string | null): void {
    if (this.busy) return;
    const back = kind !== 'auto' && same(this.control.current, kind, target);
    this.busy = true;
    clearText(this.error);
    for (const t of this.toggles) t.button.setAttribute('aria-disabled', 'true');
    this.control
      .choose(back ? 'auto' : kind, back ? null : target)
      .catch((e: unknown) => {
        const detail = e instanceof ApiError ? e.message : String(e);
        setText(this.error, presentErrorKey(e), { detail });
      })
      .finally(() => {
        this.busy = false;
        for (const t of this.toggles) t.button.removeAttribute('aria-disabled');
      });
  }
}

/**
 * The "present this" control of one stage on the moderator dashboard: the stage bar ("Automatic",
 * "Top questions", "Blank screen" and what is on screen now, in words) and every item's group.
 * It follows `joined.presentation` and the `presentation` pushes, so another moderator's choice
 * shows at once; the live region says when the screen changes.
 */
export class PresentControl {
  readonly bar: HTMLElement;
  current: Presentation = AUTO_PRESENTATION;
  private readonly status: HTMLElement;
  private readonly groups = new Set<PresentGroup>();
  private readonly barGroup: PresentGroup;

  constructor(
    private readonly deps: PresentDeps,
    headingId: string,
  ) {
    this.status = h('p', { class: 'present-status', id: `${headingId}-status` });
    this.barGroup = this.group('present-bar-buttons');
    this.barGroup.add('auto', null, 'present.auto', this.status.id);
    this.barGroup.add('questions', null, 'present.questions', this.status.id);
    this.barGroup.add('leaderboard', null, 'present.leaderboard', this.status.id);
    this.barGroup.add('nothing', null, 'present.nothing', this.status.id);
    this.bar = h(
      'section',
      { class: 'stage-section card present-bar', id: 'panel-present', 'aria-labelledby': headingId },
      h('h3', { id: headingId, i18n: 'present.heading' }),
      h('p', { class: 'present-now' }, h('span', { class: 'present-now-label', i18n: 'present.nowLabel' }), ' ', this.status),
      this.barGroup.el,
      h('p', { class: 'muted present-help', i18n: 'present.help' }),
    );
    this.renderStatus();
  }

  group(className = 'present-item'): PresentGroup {
    const group = new PresentGroup(this, className);
    this.groups.add(group);
    return group;
  }

  forget(group: PresentGroup): void {
    this.groups.delete(group);
  }

  /** From `joined`, a push or a PUT answer; `announce`: say it in the live region when it changed. */
  set(presentation: Presentation, announce = false): void {
    const changed = presentation.kind !== this.current.kind || (presentation.target ?? null) !== (this.current.target ?? null);
    this.current = presentation;
    for (const group of this.groups) group.sync(presentation);
    this.renderStatus();
    if (changed && announce) this.deps.announce(t('present.announce', { what: this.describe() }));
  }

  choose(kind: PresentationKind, target: string | null): Promise<Presentation> {
    return this.deps.present(kind, target).then((answer) => {
      this.set(answer, true);
      return answer;
    });
  }

  /** Titles may have arrived later than the presentation, and the language may have changed. */
  refresh(): void {
    this.renderStatus();
  }

  private describe(): string {
    const p = this.current;
    return describePresentation(p, p.target ? this.deps.title(p.kind, p.target) : null);
  }

  private renderStatus(): void {
    setPlainText(this.status, this.describe());
    this.bar?.classList.toggle('is-blank', this.current.kind === 'nothing');
  }
}
