import type { Lang } from './i18n';

/** One talk of a stage's programme (docs: contract "talks", REST v1). Times are UTC instants. */
export interface Talk {
  id: string;
  stageId: string;
  title: string;
  speakers: string | null;
  startsAt: string;
  endsAt: string;
  createdAt?: string;
}

export interface NewTalk {
  title: string;
  speakers?: string | null;
  startsAt: string;
  endsAt: string;
}

/** The server's order: by start, then title. */
export function sortTalks(talks: readonly Talk[]): Talk[] {
  return [...talks].sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt) || a.title.localeCompare(b.title));
}

/**
 * The talk running at `now` (startsAt ≤ now < endsAt). Talks may overlap: then the one that
 * started last wins (it is the one that just took the stage); equal starts go by title.
 */
export function currentTalk(talks: readonly Talk[], now: number = Date.now()): Talk | null {
  let best: Talk | null = null;
  for (const talk of sortTalks(talks)) {
    const start = Date.parse(talk.startsAt);
    const end = Date.parse(talk.endsAt);
    if (Number.isNaN(start) || Number.isNaN(end)) continue;
    if (start <= now && now < end && (!best || start > Date.parse(best.startsAt))) best = talk;
  }
  return best;
}

/** Milliseconds until the current talk may change (the next start or end after `now`), or null. */
export function nextTalkChange(talks: readonly Talk[], now: number = Date.now()): number | null {
  let next: number | null = null;
  for (const talk of talks) {
    for (const t of [Date.parse(talk.startsAt), Date.parse(talk.endsAt)]) {
      if (t > now && (next === null || t < next)) next = t;
    }
  }
  return next === null ? null : next - now;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** An instant as the value of `<input type="datetime-local">` in the browser's time zone: `2026-11-22T10:00`. */
export function toLocalInput(iso: string | number | Date): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/**
 * A `datetime-local` value (local wall time, seconds optional) as an ISO-8601 UTC instant, or
 * null when it is empty or not a real date (e.g. 31 February). In the hour skipped by a switch to
 * summer time the browser's Date moves it forward, as the clock did.
 */
export function fromLocalInput(value: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/.exec(value.trim());
  if (!m) return null;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number);
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return null;
  const d = new Date(year, month - 1, day, hour, minute, second);
  if (d.getFullYear() !== year || d.getMonth() !== month - 1 || d.getDate() !== day) return null;
  return d.toISOString();
}

export type TalkDraftError =
  | { field: 'title'; problem: 'required' | 'tooLong' }
  | { field: 'speakers'; problem: 'tooLong' }
  | { field: 'startsAt'; problem: 'required' | 'invalid' }
  | { field: 'endsAt'; problem: 'required' | 'invalid' | 'beforeStart' | 'tooLong' };

const DAY_MS = 24 * 60 * 60 * 1000;

/** Checks a talk form (local times as typed) against the server's rules before it is sent. */
export function validateTalkDraft(input: { title: string; speakers: string; startsAt: string; endsAt: string }): { talk: NewTalk; errors: [] } | { talk: null; errors: TalkDraftError[] } {
  const errors: TalkDraftError[] = [];
  const title = input.title.trim();
  if (!title) errors.push({ field: 'title', problem: 'required' });
  else if ([...title].length > 200) errors.push({ field: 'title', problem: 'tooLong' });
  const speakers = input.speakers.trim();
  if ([...speakers].length > 300) errors.push({ field: 'speakers', problem: 'tooLong' });
  const startsAt = fromLocalInput(input.startsAt);
  const endsAt = fromLocalInput(input.endsAt);
  if (!input.startsAt.trim()) errors.push({ field: 'startsAt', problem: 'required' });
  else if (!startsAt) errors.push({ field: 'startsAt', problem: 'invalid' });
  if (!input.endsAt.trim()) errors.push({ field: 'endsAt', problem: 'required' });
  else if (!endsAt) errors.push({ field: 'endsAt', problem: 'invalid' });
  else if (startsAt) {
    const duration = Date.parse(endsAt) - Date.parse(startsAt);
    if (duration <= 0) errors.push({ field: 'endsAt', problem: 'beforeStart' });
    else if (duration > DAY_MS) errors.push({ field: 'endsAt', problem: 'tooLong' });
  }
  if (errors.length || !startsAt || !endsAt) return { talk: null, errors };
  return { talk: { title, speakers: speakers || null, startsAt, endsAt }, errors: [] };
}

/**
 * "Sa., 22. Nov., 10:00–10:45" in the page's language and the browser's time zone; the date of
 * the end is repeated only when the talk ends on another day.
 */
export function formatTalkTime(talk: Pick<Talk, 'startsAt' | 'endsAt'>, lang: Lang, timeZone?: string): string {
  const start = new Date(talk.startsAt);
  const end = new Date(talk.endsAt);
  const date = new Intl.DateTimeFormat(lang, { weekday: 'short', day: 'numeric', month: 'short', timeZone });
  const time = new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit', timeZone });
  const day = (d: Date) => new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone }).format(d);
  const sameDay = day(start) === day(end);
  return `${date.format(start)}, ${time.format(start)}–${sameDay ? '' : `${date.format(end)}, `}${time.format(end)}`;
}

/** Only the times, "10:00–10:45", for screens that show one day. */
export function formatTalkHours(talk: Pick<Talk, 'startsAt' | 'endsAt'>, lang: Lang, timeZone?: string): string {
  const time = new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit', timeZone });
  return `${time.format(new Date(talk.startsAt))}–${time.format(new Date(talk.endsAt))}`;
}
