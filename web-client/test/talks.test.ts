import { describe, expect, it } from 'vitest';
import { currentTalk, formatTalkHours, formatTalkTime, fromLocalInput, nextTalkChange, sortTalks, toLocalInput, validateTalkDraft, type Talk } from '../src/lib/talks';

const talk = (id: string, startsAt: string, endsAt: string, title = id): Talk => ({ id, stageId: 'st1', title, speakers: null, startsAt, endsAt });
const at = (iso: string) => Date.parse(iso);

describe('current talk', () => {
  const programme = [
    talk('b', '2026-11-22T10:00:00.000Z', '2026-11-22T10:45:00.000Z'),
    talk('a', '2026-11-22T09:00:00.000Z', '2026-11-22T09:45:00.000Z'),
    talk('c', '2026-11-22T10:30:00.000Z', '2026-11-22T11:00:00.000Z'),
  ];

  it('is the talk with startsAt ≤ now < endsAt', () => {
    expect(currentTalk(programme, at('2026-11-22T09:00:00.000Z'))?.id).toBe('a');
    expect(currentTalk(programme, at('2026-11-22T09:44:59.999Z'))?.id).toBe('a');
    expect(currentTalk(programme, at('2026-11-22T09:45:00.000Z'))).toBeNull();
    expect(currentTalk(programme, at('2026-11-22T08:59:59.999Z'))).toBeNull();
    expect(currentTalk(programme, at('2026-11-22T11:00:00.000Z'))).toBeNull();
    expect(currentTalk([], at('2026-11-22T09:10:00.000Z'))).toBeNull();
  });

  it('prefers the talk that started last when talks overlap; equal starts go by title', () => {
    expect(currentTalk(programme, at('2026-11-22T10:35:00.000Z'))?.id).toBe('c');
    expect(currentTalk(programme, at('2026-11-22T10:50:00.000Z'))?.id).toBe('c');
    const twins = [talk('y', '2026-11-22T10:00:00.000Z', '2026-11-22T11:00:00.000Z', 'Zebra'), talk('x', '2026-11-22T10:00:00.000Z', '2026-11-22T11:00:00.000Z', 'Adler')];
    expect(currentTalk(twins, at('2026-11-22T10:10:00.000Z'))?.title).toBe('Adler');
  });

  it('ignores talks with unreadable times', () => {
    expect(currentTalk([talk('x', 'nonsense', '2026-11-22T11:00:00.000Z')], at('2026-11-22T10:10:00.000Z'))).toBeNull();
  });

  it('sorts by start, then title, and knows when the current talk changes next', () => {
    expect(sortTalks(programme).map((t) => t.id)).toEqual(['a', 'b', 'c']);
    expect(nextTalkChange(programme, at('2026-11-22T09:10:00.000Z'))).toBe(35 * 60_000);
    expect(nextTalkChange(programme, at('2026-11-22T10:40:00.000Z'))).toBe(5 * 60_000);
    expect(nextTalkChange(programme, at('2026-11-22T12:00:00.000Z'))).toBeNull();
  });
});

describe('datetime-local values', () => {
  it('reads local wall time as an instant and writes it back the same', () => {
    expect(fromLocalInput('2026-11-22T10:00')).toBe(new Date(2026, 10, 22, 10, 0).toISOString());
    expect(fromLocalInput('2026-11-22T10:00:30')).toBe(new Date(2026, 10, 22, 10, 0, 30).toISOString());
    expect(toLocalInput(fromLocalInput('2026-03-29T09:05')!)).toBe('2026-03-29T09:05');
    expect(toLocalInput(new Date(2026, 0, 2, 3, 4))).toBe('2026-01-02T03:04');
  });

  it('refuses empty, partial and impossible values', () => {
    for (const value of ['', '2026-11-22', '2026-11-22T', '10:00', '2026-02-31T10:00', '2026-13-01T10:00', '2026-11-22T24:00', 'gestern']) {
      expect(fromLocalInput(value), value).toBeNull();
    }
    expect(toLocalInput('kaputt')).toBe('');
  });

  it('formats a talk in German and English, in a given time zone', () => {
    const t = talk('a', '2026-11-22T09:00:00.000Z', '2026-11-22T09:45:00.000Z');
    expect(formatTalkTime(t, 'de', 'Europe/Berlin')).toBe('So., 22. Nov., 10:00–10:45');
    expect(formatTalkTime(t, 'en', 'Europe/Berlin')).toMatch(/^Sun, Nov 22, 10:00\sAM–10:45\sAM$/);
    expect(formatTalkHours(t, 'de', 'Europe/Berlin')).toBe('10:00–10:45');
    const overnight = talk('n', '2026-11-22T22:00:00.000Z', '2026-11-23T01:00:00.000Z');
    expect(formatTalkTime(overnight, 'de', 'Europe/Berlin')).toBe('So., 22. Nov., 23:00–Mo., 23. Nov., 02:00');
  });
});

describe('talk form rules', () => {
  const ok = { title: '  Die EUDI-Wallet ', speakers: 'Dr. A. Beispiel', startsAt: '2026-11-22T10:00', endsAt: '2026-11-22T10:45' };

  it('gives the API body with UTC instants and trimmed texts', () => {
    const { talk: body, errors } = validateTalkDraft(ok);
    expect(errors).toEqual([]);
    expect(body).toEqual({ title: 'Die EUDI-Wallet', speakers: 'Dr. A. Beispiel', startsAt: new Date(2026, 10, 22, 10).toISOString(), endsAt: new Date(2026, 10, 22, 10, 45).toISOString() });
    expect(validateTalkDraft({ ...ok, speakers: '   ' }).talk?.speakers).toBeNull();
  });

  it('names each problem by field', () => {
    expect(validateTalkDraft({ title: '', speakers: 'x'.repeat(301), startsAt: '', endsAt: '' }).errors).toEqual([
      { field: 'title', problem: 'required' },
      { field: 'speakers', problem: 'tooLong' },
      { field: 'startsAt', problem: 'required' },
      { field: 'endsAt', problem: 'required' },
    ]);
    expect(validateTalkDraft({ ...ok, title: 'x'.repeat(201) }).errors).toEqual([{ field: 'title', problem: 'tooLong' }]);
    expect(validateTalkDraft({ ...ok, endsAt: '2026-11-22T10:00' }).errors).toEqual([{ field: 'endsAt', problem: 'beforeStart' }]);
    expect(validateTalkDraft({ ...ok, endsAt: '2026-11-23T10:01' }).errors).toEqual([{ field: 'endsAt', problem: 'tooLong' }]);
    expect(validateTalkDraft({ ...ok, endsAt: '2026-11-23T10:00' }).errors).toEqual([]);
    expect(validateTalkDraft({ ...ok, startsAt: '2026-02-30T10:00' }).errors).toEqual([{ field: 'startsAt', problem: 'invalid' }]);
  });
});
