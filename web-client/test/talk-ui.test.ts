// @vitest-environment happy-dom
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, type ModeratorAccess } from '../src/lib/api';
import { setLanguage } from '../src/lib/i18n';
import type { Talk } from '../src/lib/talks';
import { accessLabelProblem, ModeratorAccessView } from '../src/ui/moderator-access';
import { CurrentTalkLine, ProgrammeView } from '../src/ui/programme';
import { TalkEditor } from '../src/ui/talk-editor';

const text = (el: Element | null) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
const flush = () => new Promise((r) => setTimeout(r, 0));
const NOW = Date.parse('2026-11-22T10:10:00.000Z');
const talks: Talk[] = [
  { id: 'tk2', stageId: 'st1', title: 'Digitale Souveränität', speakers: null, startsAt: '2026-11-22T10:00:00.000Z', endsAt: '2026-11-22T10:45:00.000Z' },
  { id: 'tk1', stageId: 'st1', title: 'Die EUDI-Wallet', speakers: 'Dr. A. Beispiel', startsAt: '2026-11-22T09:00:00.000Z', endsAt: '2026-11-22T09:45:00.000Z' },
];

beforeEach(() => {
  document.body.replaceChildren();
  setLanguage('de');
});

describe('moderator access view', () => {
  function view(existing: ModeratorAccess[] = []) {
    let list = [...existing];
    const deps = {
      list: vi.fn(async () => list),
      create: vi.fn(async (label: string) => {
        const access = { id: 'md1', eventId: 'ev1', label, createdAt: '2026-11-22T09:00:00.000Z' };
        list = [...list, access];
        return { ...access, token: 'pm_secret-token' };
      }),
      remove: vi.fn(async (id: string) => {
        list = list.filter((a) => a.id !== id);
      }),
      link: (token: string) => `https://plenum.example/moderator.html?event=ev1#token=${token}`,
      announce: vi.fn(),
      explain: (e: unknown) => `Fehler: ${(e as Error).message}`,
      confirm: vi.fn(() => true),
      copy: vi.fn(async () => undefined),
    };
    const v = new ModeratorAccessView('access-ev1', deps);
    document.body.append(v.el);
    return { v, deps };
  }

  it('checks the label like the server (1–100 characters)', () => {
    expect(accessLabelProblem('  ')).toBe('required');
    expect(accessLabelProblem('x'.repeat(101))).toBe('tooLong');
    expect(accessLabelProblem(' Saal 1 ')).toBeNull();
  });

  it('creates an access and shows its link once, with QR code and copy button', async () => {
    const { v, deps } = view();
    await flush();
    expect(text(v.el.querySelector('.muted'))).toBe('Noch keine Moderationszugänge.');
    const input = v.el.querySelector<HTMLInputElement>('#access-ev1-label')!;
    v.el.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(text(v.el.querySelector('#access-ev1-label-error'))).toBe('Bitte geben Sie eine Bezeichnung ein.');
    expect(deps.create).not.toHaveBeenCalled();

    input.value = ' Moderation Saal 1 ';
    v.el.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    await flush();
    await flush();
    expect(deps.create).toHaveBeenCalledWith('Moderation Saal 1');
    const once = v.el.querySelector('.access-once-card')!;
    expect(text(once.querySelector('h3'))).toBe('Neuer Zugang: Moderation Saal 1');
    expect(document.activeElement).toBe(once.querySelector('h3'));
    const url = once.querySelector<HTMLInputElement>('input.input-url')!;
    expect(url.value).toBe('https://plenum.example/moderator.html?event=ev1#token=pm_secret-token');
    expect(once.querySelector('label')!.getAttribute('for')).toBe(url.id);
    expect(once.querySelector('.qr')!.getAttribute('aria-label')).toContain('Moderationslinks');
    expect(once.querySelector('a')!.getAttribute('href')).toBe(url.value);
    once.querySelector<HTMLButtonElement>('.input-with-button button')!.click();
    await flush();
    expect(deps.copy).toHaveBeenCalledWith(url.value);
    expect(deps.announce).toHaveBeenLastCalledWith('Link kopiert.');
    expect(text(v.el.querySelector('.access-list'))).toContain('Moderation Saal 1');
    // The list never shows the token; "done" hides the one-time link for good.
    expect(v.el.querySelector('.access-list')!.innerHTML).not.toContain('pm_secret');
    [...once.querySelectorAll('button')].find((b) => b.textContent === 'Fertig, Link ausblenden')!.click();
    expect(v.el.innerHTML).not.toContain('pm_secret');
    expect(document.activeElement).toBe(input);
  });

  it('lists and revokes accesses after asking', async () => {
    const { v, deps } = view([
      { id: 'md1', eventId: 'ev1', label: 'Saal 1', createdAt: '2026-11-22T09:00:00.000Z' },
      { id: 'md2', eventId: 'ev1', label: 'Saal 2', createdAt: '2026-11-22T09:05:00.000Z' },
    ]);
    await flush();
    const buttons = v.el.querySelectorAll<HTMLButtonElement>('.access-item button');
    expect(buttons).toHaveLength(2);
    expect(text(buttons[0])).toBe('Widerrufen');
    expect(document.getElementById(buttons[0].getAttribute('aria-describedby')!)?.textContent).toBe('Saal 1');
    buttons[0].click();
    await flush();
    await flush();
    expect(deps.confirm).toHaveBeenCalledWith('Zugang „Saal 1“ widerrufen? Der Link funktioniert danach nicht mehr.');
    expect(deps.remove).toHaveBeenCalledWith('md1');
    expect(deps.announce).toHaveBeenCalledWith('Zugang „Saal 1“ widerrufen.');
    expect([...v.el.querySelectorAll('.access-label')].map((e) => e.textContent)).toEqual(['Saal 2']);
  });

  it('shows a failed request', async () => {
    const { v, deps } = view();
    deps.create.mockRejectedValueOnce(new ApiError(403, 'forbidden', 'nope'));
    await flush();
    v.el.querySelector<HTMLInputElement>('#access-ev1-label')!.value = 'Saal 1';
    v.el.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    await flush();
    expect(text(v.el.querySelector('[role=alert]'))).toBe('Fehler: nope');
  });
});

describe('talk editor', () => {
  it('lists the programme in order, marks the running talk, and validates the form', async () => {
    const deps = {
      list: vi.fn(async () => talks),
      create: vi.fn(),
      update: vi.fn(),
      remove: vi.fn(),
      announce: vi.fn(),
      explain: () => 'x',
      now: () => NOW,
    };
    const editor = new TalkEditor('talks-st1', deps);
    document.body.append(editor.el);
    await flush();
    const items = editor.el.querySelectorAll('.talk-item');
    expect([...items].map((li) => li.querySelector('.talk-title')!.textContent)).toEqual(['Die EUDI-Wallet', 'Digitale Souveränität']);
    expect(items[1].classList.contains('is-current')).toBe(true);
    expect(text(items[1].querySelector('.talk-now'))).toBe('Läuft gerade');
    expect(text(items[0].querySelector('.talk-speakers'))).toBe('Dr. A. Beispiel');
    expect(editor.el.querySelector<HTMLInputElement>('#talks-st1-startsAt')!.type).toBe('datetime-local');

    editor.el.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    expect(deps.create).not.toHaveBeenCalled();
    expect(text(editor.el.querySelector('#talks-st1-title-error'))).toBe('Bitte geben Sie einen Titel ein.');
    expect(editor.el.querySelector('#talks-st1-endsAt')!.getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement?.id).toBe('talks-st1-title');
  });

  it('edits a talk with its local times filled in, and sends UTC instants', async () => {
    const deps = {
      list: vi.fn(async () => talks),
      create: vi.fn(),
      update: vi.fn(async (_id: string, body: Omit<Talk, 'id' | 'stageId'>) => ({ ...talks[1], ...body })),
      remove: vi.fn(),
      announce: vi.fn(),
      explain: () => 'x',
      now: () => NOW,
    };
    const editor = new TalkEditor('talks-st1', deps);
    document.body.append(editor.el);
    await flush();
    editor.el.querySelector<HTMLButtonElement>('[data-talk-id=tk1] [data-action=edit]')!.click();
    const start = editor.el.querySelector<HTMLInputElement>('#talks-st1-startsAt')!;
    expect(start.value).toBe(new Date(Date.parse(talks[1].startsAt) - new Date(talks[1].startsAt).getTimezoneOffset() * 60_000).toISOString().slice(0, 16));
    expect(text(editor.el.querySelector('summary'))).toBe('Vortrag bearbeiten');
    editor.el.querySelector<HTMLInputElement>('#talks-st1-title')!.value = 'Die EUDI-Wallet in der Praxis';
    editor.el.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    await flush();
    expect(deps.update).toHaveBeenCalledWith('tk1', { title: 'Die EUDI-Wallet in der Praxis', speakers: 'Dr. A. Beispiel', startsAt: talks[1].startsAt, endsAt: talks[1].endsAt });
    expect(deps.announce).toHaveBeenCalledWith('Vortrag „Die EUDI-Wallet in der Praxis“ gespeichert.');
  });
});

describe('programme and current talk for screens', () => {
  it('highlights the running talk for moderators', () => {
    const view = new ProgrammeView(() => NOW);
    view.update(talks);
    const current = view.el.querySelectorAll('[aria-current=time]');
    expect(current).toHaveLength(1);
    expect(text(current[0].querySelector('.talk-title'))).toBe('Digitale Souveränität');
    expect(text(view.el.querySelector('.talk-time'))).toMatch(/^\d\d:\d\d–\d\d:\d\d$/);
    view.update([]);
    expect((view.el.querySelector('.empty-state') as HTMLElement).hidden).toBe(false);
    view.stop();
  });

  it('shows the current talk line only while a talk runs, in the page language', () => {
    let now = NOW;
    const line = new CurrentTalkLine('viewer-talk', () => now);
    line.update(talks);
    expect(line.el.hidden).toBe(false);
    expect(text(line.el)).toBe('Aktueller Vortrag: Digitale Souveränität');
    setLanguage('en');
    line.refresh();
    expect(text(line.el)).toBe('Current talk: Digitale Souveränität');
    now = Date.parse('2026-11-22T09:30:00.000Z');
    line.refresh();
    expect(text(line.el)).toBe('Current talk: Die EUDI-Wallet – Dr. A. Beispiel');
    now = Date.parse('2026-11-22T12:00:00.000Z');
    line.refresh();
    expect(line.el.hidden).toBe(true);
  });
});
