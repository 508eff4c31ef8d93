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

/** The server's limits for a poll timer (stage/PollTimer: MIN_SECONDS, MAX_SECONDS). */
export const TIMER_MIN_SECONDS = 10;
export const TIMER_MAX_SECONDS = 86_400;

/**
 * A custom duration from the minutes and seconds fields (either may be empty), or null when it is
 * not whole numbers or outside the server's 10 s … 24 h.
 */
export function customTimerSeconds(minutes: string, seconds: string): number | null {
  const m = minutes.trim() === '' ? 0 : Number(minutes);
  const s = seconds.trim() === '' ? 0 : Number(seconds);
  if (!Number.isInteger(m) || !Number.isInteger(s) || m < 0 || s < 0) return null;
  const total = m * 60 + s;
  return total >= TIMER_MIN_SECONDS && total <= TIMER_MAX_SECONDS ? total : null;
}

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
  private readonly customBox: HTMLElement;
  private readonly minutes: HTMLInputElement;
  private readonly seconds: HTMLInputElement;
  private readonly customError: HTMLElement;
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
    const custom = h('option', { value: 'custom', i18n: 'timer.custom' });
    this.picker.append(custom);
    this.picker.addEventListener('change', () => this.showCustom());
    this.minutes = h('input', { type: 'number', id: `${pickerId}-min`, class: 'input timer-minutes', min: '0', max: '1440', step: '1', inputmode: 'numeric', 'aria-describedby': `${pickerId}-err` });
    this.seconds = h('input', { type: 'number', id: `${pickerId}-sec`, class: 'input timer-seconds', min: '0', max: '59', step: '1', inputmode: 'numeric', 'aria-describedby': `${pickerId}-err` });
    this.customError = h('span', { class: 'field-error', id: `${pickerId}-err`, hidden: true, i18n: 'timer.customError' });
    for (const input of [this.minutes, this.seconds]) input.addEventListener('input', () => this.clearCustomError());
    this.customBox = h(
      'span',
      { class: 'timer-custom', hidden: true },
      h('label', { for: this.minutes.id, i18n: 'timer.customMinutes' }), ' ', this.minutes, ' ',
      h('label', { for: this.seconds.id, i18n: 'timer.customSeconds' }), ' ', this.seconds, ' ',
      this.customError,
    );
    this.pickerBox = h('span', { class: 'timer-pick' }, h('label', { for: pickerId, i18n: 'timer.label' }), ' ', this.picker, ' ', this.customBox);
    const add = h('button', { type: 'button', class: 'button button-secondary', i18n: 'timer.add30', on: { click: () => this.change({ addSeconds: 30 }) } });
    const stop = h('button', { type: 'button', class: 'button button-secondary', i18n: 'timer.stop', on: { click: () => this.change({ seconds: null }) } });
    this.running = h('span', { class: 'timer-running', hidden: true }, this.countdown.el, ' ', add, ' ', stop);
    this.el = h('span', { class: 'timer-controls' }, this.pickerBox, this.running);
  }

  /** The timer to open the poll with, or null for none. */
  openSeconds(): number | null {
    if (this.picker.value === 'custom') return customTimerSeconds(this.minutes.value, this.seconds.value);
    const n = Number(this.picker.value);
    return n > 0 ? n : null;
  }

  /**
   * Whether the poll may be opened with the chosen timer: a custom duration outside the server's
   * limits is marked (aria-invalid, message) and focused instead.
   */
  checkOpen(): boolean {
    if (this.picker.value !== 'custom' || this.openSeconds() !== null) return true;
    this.customError.hidden = false;
    for (const input of [this.minutes, this.seconds]) input.setAttribute('aria-invalid', 'true');
    this.minutes.focus();
    return false;
  }

  private showCustom(): void {
    const custom = this.picker.value === 'custom';
    this.customBox.hidden = !custom;
    if (!custom) this.clearCustomError();
  }

  private clearCustomError(): void {
    this.customError.hidden = true;
    for (const input of [this.minutes, this.seconds]) input.removeAttribute('aria-invalid');
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
