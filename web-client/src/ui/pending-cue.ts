import { i18n, onLanguageChange } from '../lib/i18n';
import type { Post } from '../lib/protocol';
import { h, setPlainText } from './dom';

/** localStorage key of the moderator's "sound on new posts" choice ("on" or absent). */
export const SOUND_STORAGE_KEY = 'plenum.moderator.sound';

export interface PendingCueDeps {
  stageName(stageId: string): string;
  /** Opens the stage's queue on "waiting" and moves the focus there (the person asked for it). */
  show(stageId: string): void;
  /** The set of new posts changed: queues redraw their "new" marks. */
  changed(): void;
  storage: { get(key: string): string | null; set(key: string, value: string): void; remove(key: string): void };
  /** Plays the short signal; the default uses Web Audio (no sound file to load). */
  beep?: () => void;
}

/**
 * The moderator's cue for posts that arrive waiting for approval while the dashboard is open,
 * whatever part of it is in view: a notice in the sticky banner area ("2 new posts are waiting",
 * with "Show" and "Mark as seen"), a "new" mark on those posts in the queue, and, if the moderator
 * switched it on, a short sound (the page's live region announces them). Nothing takes the focus
 * unless the moderator presses "Show".
 */
export class PendingCue {
  readonly el: HTMLElement;
  /** The "sound on new posts" checkbox with its label, for the page to place. */
  readonly soundToggle: HTMLElement;
  private readonly text: HTMLElement;
  private readonly checkbox: HTMLInputElement;
  /** New waiting posts not yet seen, by post id, in order of arrival. */
  private readonly unseen = new Map<string, string>();
  private lastBeep = Number.NEGATIVE_INFINITY;
  /** "Show" was pressed: the notice goes, the marks in the queue stay until "Mark as seen" or moderation. */
  private noticeDismissed = false;

  constructor(private readonly deps: PendingCueDeps) {
    this.text = h('strong', { class: 'pending-cue-text' });
    this.el = h(
      // A landmark of its own: it sits outside <main>, between the header and the page.
      'aside',
      { class: 'pending-cue', hidden: true, 'data-cue': 'pending', i18nAttrs: { 'aria-label': 'mcue.region' } },
      h(
        'div',
        { class: 'wrap banner-row' },
        this.text,
        h(
          'span',
          { class: 'pending-cue-actions' },
          h('button', { type: 'button', class: 'button button-small button-primary', 'data-action': 'show-pending', i18n: 'mcue.show', on: { click: () => this.show() } }),
          h('button', { type: 'button', class: 'button button-small button-secondary', 'data-action': 'seen', i18n: 'mcue.seen', on: { click: () => this.clear() } }),
        ),
      ),
    );
    this.checkbox = h('input', {
      type: 'checkbox',
      id: 'pending-sound',
      checked: deps.storage.get(SOUND_STORAGE_KEY) === 'on',
      on: { change: () => this.setSound(this.checkbox.checked) },
    });
    this.soundToggle = h('div', { class: 'check pending-sound' }, this.checkbox, h('label', { htmlFor: 'pending-sound', i18n: 'mcue.sound' }));
    onLanguageChange(() => this.render());
  }

  get soundOn(): boolean {
    return this.checkbox.checked;
  }

  /** A post arrived (push): call with the state it had before (undefined: it is new). */
  observe(stageId: string, before: Post | undefined, post: Post): void {
    if (post.state !== 'pending') {
      if (this.unseen.delete(post.id)) this.render(true);
      return;
    }
    if (before) return;
    this.unseen.set(post.id, stageId);
    this.noticeDismissed = false;
    this.render(true);
    if (this.soundOn && Date.now() - this.lastBeep > 3000) {
      this.lastBeep = Date.now();
      (this.deps.beep ?? beep)();
    }
  }

  isNew(postId: string): boolean {
    return this.unseen.has(postId);
  }

  get count(): number {
    return this.unseen.size;
  }

  /** Everything seen: the notice and the marks go. */
  clear(): void {
    if (this.unseen.size === 0) return;
    this.unseen.clear();
    this.render(true);
  }

  private show(): void {
    const stageId = [...this.unseen.values()].at(-1);
    if (!stageId) return;
    this.noticeDismissed = true;
    this.render();
    this.deps.show(stageId);
  }

  private setSound(on: boolean): void {
    if (on) {
      this.deps.storage.set(SOUND_STORAGE_KEY, 'on');
      // Browsers only let a page play sound after a gesture: this click is one, so unlock it now.
      unlockAudio();
    } else this.deps.storage.remove(SOUND_STORAGE_KEY);
  }

  private render(changed = false): void {
    const count = this.unseen.size;
    this.el.hidden = count === 0 || this.noticeDismissed;
    if (count > 0) {
      const stages = [...new Set(this.unseen.values())].map((id) => this.deps.stageName(id));
      // A plural, so not a data-i18n text: the language listener above draws it again.
      setPlainText(this.text, i18n().plural('mcue.notice', count, { stages: i18n().list(stages) }));
    }
    if (changed) this.deps.changed();
  }
}

let audio: AudioContext | null = null;

function unlockAudio(): void {
  try {
    audio ??= new AudioContext();
    void audio.resume();
  } catch {
    audio = null;
  }
}

/** Two short soft tones, made on the spot (no sound file, nothing loaded from anywhere). */
function beep(): void {
  try {
    audio ??= new AudioContext();
    const ctx = audio;
    const start = ctx.currentTime;
    for (const [offset, frequency] of [[0, 660], [0.16, 880]] as const) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, start + offset);
      gain.gain.exponentialRampToValueAtTime(0.15, start + offset + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.14);
      osc.connect(gain).connect(ctx.destination);
      osc.start(start + offset);
      osc.stop(start + offset + 0.15);
    }
  } catch {
    /* no audio on this device: the visual cue and the announcement remain */
  }
}
