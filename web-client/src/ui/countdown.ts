import { t } from '../lib/i18n';
import type { Poll } from '../lib/protocol';
import { h, setText } from './dom';

/**
 * A poll's countdown (issue 12): mm:ss until the poll's `closesAt`, by the server's clock. The
 * server sends its time in `joined` (`serverTime`); the difference to this device's clock is the
 * offset every countdown on the page uses, so a phone whose clock is a minute off still shows the
 * server's deadline. The visible timer is `role="timer"` with live announcements off (a screen
 * reader would otherwise read every second); a separate polite region says "10 seconds left" and
 * "time is up" once each.
 */

let offsetMs = 0;

/** Remembers the server's clock: `serverTime` (ISO) was the server's time when the message left. */
export function noteServerTime(serverTime: string | null | undefined, localNow: number = Date.now()): void {
  const server = serverTime ? Date.parse(serverTime) : NaN;
  if (!Number.isNaN(server)) offsetMs = server - localNow;
}

/** The offset (server minus local, ms) the countdowns use. */
export function serverOffsetMs(): number {
  return offsetMs;
}

/** Whole seconds left until `closesAt` at local time `localNow`, never below zero (rounded up: 0.2 s left shows 00:01). */
export function secondsLeft(closesAt: string, localNow: number = Date.now(), offset: number = offsetMs): number {
  const left = Date.parse(closesAt) - (localNow + offset);
  return Number.isNaN(left) ? 0 : Math.max(0, Math.ceil(left / 1000));
}

/** mm:ss (minutes grow past 59: a 24-hour timer shows 1440:00). */
export function formatCountdown(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

const TICK_MS = 250;

/** The countdown element for one poll; hidden while the poll has no running timer. */
export class Countdown {
  readonly el: HTMLElement;
  private readonly timer: HTMLElement;
  private readonly announce: HTMLElement;
  private closesAt: string | null = null;
  private interval: ReturnType<typeof setInterval> | null = null;
  private announced = new Set<string>();
  private wasConnected = false;

  constructor() {
    this.timer = h('span', { class: 'countdown-time', role: 'timer', 'aria-live': 'off' });
    this.announce = h('span', { class: 'sr-only', 'aria-live': 'polite' });
    this.el = h('span', { class: 'countdown', hidden: true }, h('span', { class: 'countdown-label', i18n: 'countdown.label' }), ' ', this.timer, this.announce);
  }

  /** The poll changed: start, move or stop the countdown. */
  update(poll: Poll): void {
    const next = poll.state === 'open' && poll.closesAt ? poll.closesAt : null;
    if (next !== this.closesAt) this.announced.clear();
    this.closesAt = next;
    this.el.hidden = next === null;
    if (next === null) {
      this.stop();
      return;
    }
    this.render();
    if (this.interval === null) this.interval = setInterval(() => this.render(), TICK_MS);
  }

  /** Nothing to count down (no poll shown). */
  clear(): void {
    this.closesAt = null;
    this.el.hidden = true;
    this.stop();
  }

  /** The card left the page: no timer keeps running for it. */
  destroy(): void {
    this.stop();
  }

  private stop(): void {
    if (this.interval !== null) clearInterval(this.interval);
    this.interval = null;
  }

  private render(): void {
    if (this.el.isConnected) this.wasConnected = true;
    else if (this.wasConnected) {
      this.stop(); // its card left the page
      return;
    }
    if (!this.closesAt) return;
    const left = secondsLeft(this.closesAt);
    this.timer.textContent = formatCountdown(left);
    this.timer.setAttribute('aria-label', t('countdown.aria', { time: formatCountdown(left) }));
    if (left <= 10 && left > 0 && !this.announced.has('10')) {
      this.announced.add('10');
      setText(this.announce, 'countdown.tenSeconds');
    }
    if (left === 0 && !this.announced.has('0')) {
      this.announced.add('0');
      setText(this.announce, 'countdown.ended');
      // the server closes the poll and pushes it; until then the timer rests at 00:00
    }
  }
}

/** The durations a moderator picks from when opening a poll (seconds; 0 = no timer). */
export const TIMER_CHOICES = [0, 30, 60, 120, 300] as const;

export interface TimerDeps {
  /** Changes the open poll's timer (POST …/timer). */
  timer(poll: Poll, body: { seconds: null } | { addSeconds: number }): Promise<unknown>;
}

/**
 * The moderator's timer controls for one poll: before opening, a duration picker (the state
 * button reads {@link openSeconds}); while a timer runs, the countdown, "+30 s" and "stop timer".
 */
export class ModeratorTimerControls {
  readonly el: HTMLElement;
  private readonly picker: HTMLSelectElement;
  private readonly pickerBox: HTMLElement;
  private readonly running: HTMLElement;
  private readonly countdown = new Countdown();
  private poll: Poll | null = null;

  constructor(
    idPrefix: string,
    private readonly deps: TimerDeps,
    private readonly failed: (e: unknown) => void,
  ) {
    const pickerId = `${idPrefix}-timer`;
    this.picker = h('select', { id: pickerId, class: 'timer-picker' });
    for (const seconds of TIMER_CHOICES) {
      const option = h('option', { value: String(seconds) });
      option.dataset.i18n = seconds === 0 ? 'timer.none' : seconds < 60 ? 'timer.seconds' : 'timer.minutes';
      option.dataset.i18nParams = JSON.stringify({ n: seconds < 60 ? seconds : seconds / 60 });
      option.textContent = seconds === 0 ? t('timer.none') : seconds < 60 ? t('timer.seconds', { n: seconds }) : t('timer.minutes', { n: seconds / 60 });
      this.picker.append(option);
    }
    this.pickerBox = h('span', { class: 'timer-pick' }, h('label', { for: pickerId, i18n: 'timer.label' }), ' ', this.picker);
    const add = h('button', { type: 'button', class: 'button button-secondary', i18n: 'timer.add30', on: { click: () => this.change({ addSeconds: 30 }) } });
    const stop = h('button', { type: 'button', class: 'button button-secondary', i18n: 'timer.stop', on: { click: () => this.change({ seconds: null }) } });
    this.running = h('span', { class: 'timer-running', hidden: true }, this.countdown.el, ' ', add, ' ', stop);
    this.el = h('span', { class: 'timer-controls' }, this.pickerBox, this.running);
  }

  /** The timer to open the poll with, or null for none. */
  openSeconds(): number | null {
    const n = Number(this.picker.value);
    return n > 0 ? n : null;
  }

  update(poll: Poll): void {
    this.poll = poll;
    this.pickerBox.hidden = poll.state === 'open';
    this.running.hidden = !(poll.state === 'open' && poll.closesAt);
    this.countdown.update(poll);
  }

  private change(body: { seconds: null } | { addSeconds: number }): void {
    if (this.poll) this.deps.timer(this.poll, body).catch(this.failed);
  }
}
