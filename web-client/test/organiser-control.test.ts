// @vitest-environment happy-dom
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, PlenumApi } from '../src/lib/api';
import { setLanguage } from '../src/lib/i18n';
import { CloudForm } from '../src/ui/cloud-form';
import { confirmDialog } from '../src/ui/confirm-dialog';
import { PollForm } from '../src/ui/poll-form';
import { PlanList, type PlanListDeps } from '../src/ui/plan-list';

const flush = () => new Promise((r) => setTimeout(r, 0));
const text = (el: Element | null) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();

beforeEach(() => {
  document.body.replaceChildren();
  setLanguage('de');
});

/** A fetch that records every request and answers from `answer`. */
function recordingFetch(answer: (method: string, url: string) => { status: number; body?: unknown; headers?: Record<string, string> }) {
  const calls: Array<{ method: string; url: string; body: unknown; headers: Record<string, string> }> = [];
  const fetcher = vi.fn(async (url: string | URL | Request, init?: RequestInit) => {
    const method = init?.method ?? 'GET';
    calls.push({ method, url: String(url), body: init?.body ? JSON.parse(String(init.body)) : undefined, headers: (init?.headers ?? {}) as Record<string, string> });
    const a = answer(method, String(url));
    const payload = a.body === undefined ? '' : typeof a.body === 'string' ? a.body : JSON.stringify(a.body);
    return new Response(a.status === 204 ? null : payload, { status: a.status, headers: a.headers });
  });
  return { calls, fetcher: fetcher as unknown as typeof fetch };
}

describe('control routes of the API client', () => {
  it('uses the control branch’s paths, methods and bodies', async () => {
    const { calls, fetcher } = recordingFetch(() => ({ status: 200, body: {} }));
    const api = new PlenumApi('https://plenum.example/organiser.html', () => 'secret', fetcher);
    await api.renameEvent('ev1', 'Neu');
    await api.deleteEvent('ev1', 'Fachtag & Co');
    await api.renameStage('st1', 'Saal B');
    await api.deleteStage('st1');
    await api.resetStage('st1');
    await api.reorder('st1', { polls: ['p2', 'p1'], clouds: ['c1'] });
    await api.updatePoll('st1', 'p1', { kind: 'single', question: 'Q?', options: ['a', 'b'] });
    await api.duplicatePoll('st1', 'p1');
    await api.deletePoll('st1', 'p1');
    await api.updateCloud('st1', 'c1', { prompt: 'Wort?', maxEntries: 2 });
    await api.duplicateCloud('st1', 'c1');
    await api.deleteCloud('st1', 'c1');
    const base = 'https://plenum.example/api/v1/';
    expect(calls.map((c) => [c.method, c.url.replace(base, ''), c.body])).toEqual([
      ['PATCH', 'events/ev1', { name: 'Neu' }],
      ['DELETE', 'events/ev1?confirm=Fachtag+%26+Co', undefined],
      ['PATCH', 'stages/st1', { name: 'Saal B' }],
      ['DELETE', 'stages/st1', undefined],
      ['POST', 'stages/st1/reset', undefined],
      ['PUT', 'stages/st1/order', { polls: ['p2', 'p1'], clouds: ['c1'] }],
      ['PUT', 'stages/st1/polls/p1', { kind: 'single', question: 'Q?', options: ['a', 'b'] }],
      ['POST', 'stages/st1/polls/p1/duplicate', undefined],
      ['DELETE', 'stages/st1/polls/p1', undefined],
      ['PUT', 'stages/st1/clouds/c1', { prompt: 'Wort?', maxEntries: 2 }],
      ['POST', 'stages/st1/clouds/c1/duplicate', undefined],
      ['DELETE', 'stages/st1/clouds/c1', undefined],
    ]);
    expect(calls.every((c) => c.headers.Authorization === 'Bearer secret')).toBe(true);
  });

  it('turns the server’s error answer into an ApiError with its message', async () => {
    const { fetcher } = recordingFetch(() => ({ status: 409, body: { error: { code: 'invalid_state', message: 'poll: only a draft can be edited' } } }));
    const api = new PlenumApi('https://plenum.example/organiser.html', () => 'secret', fetcher);
    const error = await api.updatePoll('st1', 'p1', { kind: 'rating', question: 'Q', scale: 5 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 409, code: 'invalid_state', message: 'poll: only a draft can be edited' });
  });

  it('fetches export files with the token in a header, never in the address, named as the server says', async () => {
    const { calls, fetcher } = recordingFetch(() => ({ status: 200, body: 'a;b\r\n', headers: { 'Content-Disposition': 'attachment; filename="plenum-ev1-polls.csv"', 'Content-Type': 'text/csv' } }));
    const api = new PlenumApi('https://plenum.example/report.html?event=ev1', () => 'secret-token', fetcher);
    const file = await api.exportFile({ eventId: 'ev1' }, { format: 'csv', kind: 'polls', separator: 'semicolon' });
    expect(file.filename).toBe('plenum-ev1-polls.csv');
    expect(await file.blob.text()).toBe('a;b\r\n');
    expect(calls[0].url).toBe('https://plenum.example/api/v1/events/ev1/export?format=csv&kind=polls&separator=semicolon');
    expect(calls[0].url).not.toContain('secret-token');
    expect(calls[0].headers.Authorization).toBe('Bearer secret-token');
    await api.exportFile({ stageId: 'st 1' }, { format: 'xlsx' });
    expect(calls[1].url).toBe('https://plenum.example/api/v1/stages/st%201/export?format=xlsx');
  });
});

describe('confirmation dialog', () => {
  it('wants the event’s exact name before it runs the deletion', async () => {
    const opener = document.createElement('button');
    document.body.append(opener);
    opener.focus();
    const action = vi.fn(async () => undefined);
    const done = confirmDialog({ title: 'organiser.confirmDeleteEventTitle', params: { name: 'Fachtag' }, message: 'Alles wird gelöscht.', confirm: 'organiser.deleteConfirm', typeToConfirm: 'Fachtag', action });
    const dialog = document.querySelector('dialog.confirm-dialog')!;
    expect(text(dialog.querySelector('h2'))).toBe('Veranstaltung „Fachtag“ endgültig löschen?');
    const input = dialog.querySelector('input')!;
    expect(document.activeElement).toBe(input);
    expect(text(dialog.querySelector(`label[for="${input.id}"]`))).toBe('Zur Bestätigung den Namen eingeben: Fachtag');
    input.value = 'fachtag';
    dialog.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await flush();
    expect(action).not.toHaveBeenCalled();
    expect(text(dialog.querySelector('[role=alert]'))).toBe('Der Name stimmt nicht überein.');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    input.value = 'Fachtag';
    dialog.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    expect(await done).toBe(true);
    expect(action).toHaveBeenCalledTimes(1);
    expect(document.querySelector('dialog')).toBeNull();
    expect(document.activeElement).toBe(opener);
  });

  it('shows the server’s refusal and stays open; cancel resolves false', async () => {
    const action = vi.fn(async () => {
      throw new ApiError(409, 'invalid_state', 'stage: a stage with an open poll cannot be reset');
    });
    const done = confirmDialog({ title: 'organiser.confirmResetTitle', params: { name: 'Saal 1' }, message: '…', confirm: 'organiser.resetConfirm', action });
    const dialog = document.querySelector('dialog.confirm-dialog')!;
    // Destructive: the focus starts on "cancel".
    expect(text(document.activeElement)).toBe('Abbrechen');
    dialog.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await flush();
    await flush();
    expect(text(dialog.querySelector('[role=alert]'))).toBe('Das hat nicht geklappt: stage: a stage with an open poll cannot be reset');
    expect(document.querySelector('dialog.confirm-dialog')).not.toBeNull();
    [...dialog.querySelectorAll('button')].find((b) => text(b) === 'Abbrechen')!.click();
    expect(await done).toBe(false);
    expect(document.querySelector('dialog')).toBeNull();
  });
});

interface Item {
  id: string;
  text: string;
  state: 'draft' | 'open' | 'closed';
}

describe('plan list (polls and clouds of a stage)', () => {
  function list(items: Item[], overrides: Partial<PlanListDeps<Item>> = {}) {
    let server = [...items];
    const deps: PlanListDeps<Item> = {
      kind: 'poll',
      describe: (i) => ({ id: i.id, state: i.state, text: i.text, detail: 'Einzelauswahl', editable: i.state === 'draft' }),
      reorder: vi.fn(async (ids: string[]) => {
        server = ids.map((id) => server.find((i) => i.id === id)!);
      }),
      duplicate: vi.fn(async (i: Item) => {
        const copy = { ...i, id: `${i.id}-copy`, state: 'draft' as const };
        server = [...server, copy];
        return copy.id;
      }),
      remove: vi.fn(async (i: Item) => {
        server = server.filter((x) => x.id !== i.id);
        return true;
      }),
      editor: (_i, done) => {
        const el = document.createElement('form');
        const button = document.createElement('button');
        button.type = 'button';
        button.textContent = 'Fertig';
        button.addEventListener('click', () => done(true));
        el.append(button);
        return { el, focus: () => button.focus() };
      },
      reload: vi.fn(async () => server),
      announce: vi.fn(),
      explain: (e: unknown) => `Das hat nicht geklappt: ${(e as Error).message}`,
      ...overrides,
    };
    const view = new PlanList<Item>('plain-list poll-summary', deps);
    document.body.append(view.list, view.error);
    view.set(items);
    return { view, deps };
  }
  const button = (id: string, action: string) => document.querySelector<HTMLButtonElement>(`button[data-item="${id}"][data-action="${action}"]`)!;
  const order = () => [...document.querySelectorAll('.plan-item-title')].map((e) => e.textContent);
  const items: Item[] = [
    { id: 'p1', text: 'Erste Frage', state: 'draft' },
    { id: 'p2', text: 'Zweite Frage', state: 'open' },
    { id: 'p3', text: 'Dritte Frage', state: 'closed' },
  ];

  it('offers every action as a named button; up is off for the first, down for the last; edit for drafts only', () => {
    list(items);
    expect(button('p1', 'moveUp').disabled).toBe(true);
    expect(button('p3', 'moveDown').disabled).toBe(true);
    expect(text(button('p2', 'moveUp'))).toBe('Nach oben: Zweite Frage');
    expect(button('p1', 'edit')).not.toBeNull();
    expect(button('p2', 'edit')).toBeNull();
    expect(document.querySelector('[data-id="p1"] [role=group]')!.getAttribute('aria-label')).toBe('Aktionen für „Erste Frage“');
    expect(text(document.querySelector('[data-id="p2"] .badge'))).toBe('Offen');
  });

  it('moves an item, saves the whole order and keeps the keyboard on the moved item', async () => {
    const { deps } = list(items);
    button('p1', 'moveDown').focus();
    button('p1', 'moveDown').click();
    await flush();
    expect(deps.reorder).toHaveBeenCalledWith(['p2', 'p1', 'p3']);
    expect(order()).toEqual(['Zweite Frage', 'Erste Frage', 'Dritte Frage']);
    expect(document.activeElement).toBe(button('p1', 'moveDown'));
    expect(deps.announce).toHaveBeenCalledWith('„Erste Frage“ ist jetzt an Stelle 2 von 3.');
    button('p1', 'moveDown').click();
    await flush();
    // At the bottom "down" is off: the focus moves to its twin.
    expect(order()).toEqual(['Zweite Frage', 'Dritte Frage', 'Erste Frage']);
    expect(document.activeElement).toBe(button('p1', 'moveUp'));
  });

  it('keeps the order and shows the server’s message when the order is refused', async () => {
    list(items, { reorder: vi.fn(async () => Promise.reject(new ApiError(400, 'invalid_field', 'polls: every poll of the stage once'))) });
    button('p2', 'moveUp').click();
    await flush();
    expect(order()).toEqual(['Erste Frage', 'Zweite Frage', 'Dritte Frage']);
    expect(text(document.querySelector('.plan-error'))).toBe('Das hat nicht geklappt: polls: every poll of the stage once');
  });

  it('duplicates (the copy is listed and focused) and deletes (the focus goes to the next item)', async () => {
    const { deps } = list(items);
    button('p2', 'duplicate').click();
    await flush();
    await flush();
    expect(order()).toEqual(['Erste Frage', 'Zweite Frage', 'Dritte Frage', 'Zweite Frage']);
    expect(document.activeElement).toBe(button('p2-copy', 'duplicate'));
    expect(deps.announce).toHaveBeenCalledWith('Kopie von „Zweite Frage“ angelegt.');
    button('p1', 'delete').click();
    await flush();
    await flush();
    expect(order()).toEqual(['Zweite Frage', 'Dritte Frage', 'Zweite Frage']);
    expect(document.activeElement).toBe(button('p2', 'delete'));
    expect(deps.announce).toHaveBeenCalledWith('„Erste Frage“ gelöscht.');
  });

  it('changes nothing when the deletion is cancelled', async () => {
    const { deps } = list(items, { remove: vi.fn(async () => false) });
    button('p3', 'delete').click();
    await flush();
    expect(order()).toEqual(['Erste Frage', 'Zweite Frage', 'Dritte Frage']);
    expect(deps.reload).not.toHaveBeenCalled();
  });

  it('opens the editor inline for a draft and returns the focus to "edit" after saving', async () => {
    const { deps } = list(items);
    button('p1', 'edit').click();
    await flush();
    const done = document.querySelector<HTMLButtonElement>('.plan-item-editor button')!;
    expect(document.activeElement).toBe(done);
    done.click();
    await flush();
    await flush();
    expect(document.querySelector('.plan-item-editor')).toBeNull();
    expect(deps.reload).toHaveBeenCalled();
    expect(document.activeElement).toBe(button('p1', 'edit'));
    expect(deps.announce).toHaveBeenCalledWith('„Erste Frage“ gespeichert.');
  });
});

describe('edit forms', () => {
  it('a draft poll opens filled in, saves without "open now", and shows the server’s refusal', async () => {
    const create = vi.fn(async () => {
      throw new ApiError(409, 'invalid_state', 'poll: only a draft can be edited');
    });
    const cancel = vi.fn();
    const form = new PollForm({ idPrefix: 'edit-p1', openByDefault: false, initial: { kind: 'multiple', question: 'Welche Themen?', options: ['KI', 'Cloud'], maxSelections: 2, resultsVisible: true }, create, cancel });
    document.body.append(form.el);
    expect(form.el.querySelector<HTMLSelectElement>('#edit-p1-kind')!.value).toBe('multiple');
    expect(form.el.querySelector<HTMLSelectElement>('#edit-p1-kind')!.disabled).toBe(true);
    expect(form.el.querySelector<HTMLTextAreaElement>('#edit-p1-question')!.value).toBe('Welche Themen?');
    expect(form.el.querySelector<HTMLTextAreaElement>('#edit-p1-options')!.value).toBe('KI\nCloud');
    expect(form.el.querySelector<HTMLInputElement>('#edit-p1-max')!.value).toBe('2');
    expect(form.el.querySelector<HTMLInputElement>('#edit-p1-visible')!.checked).toBe(true);
    expect(form.el.querySelector('#edit-p1-open')).toBeNull();
    expect(text(form.el.querySelector('button[type=submit]'))).toBe('Speichern');
    form.el.querySelector<HTMLTextAreaElement>('#edit-p1-options')!.value = 'KI\nCloud\nOpen Source';
    form.el.requestSubmit();
    await flush();
    expect(create).toHaveBeenCalledWith({ kind: 'multiple', question: 'Welche Themen?', options: ['KI', 'Cloud', 'Open Source'], maxSelections: 2, resultsVisible: true });
    expect(text(form.el.querySelector('.form-error'))).toContain('poll: only a draft can be edited');
    // What was typed stays for another try.
    expect(form.el.querySelector<HTMLTextAreaElement>('#edit-p1-options')!.value).toBe('KI\nCloud\nOpen Source');
    [...form.el.querySelectorAll('button')].find((b) => text(b) === 'Abbrechen')!.click();
    expect(cancel).toHaveBeenCalled();
  });

  it('a cloud opens with its prompt and settings and saves without opening it', async () => {
    const create = vi.fn(async () => undefined);
    const form = new CloudForm({ idPrefix: 'edit-c1', openByDefault: false, initial: { prompt: 'Ein Wort?', maxEntries: 2, resultsVisible: false }, create, cancel: () => undefined });
    document.body.append(form.el);
    expect(form.el.querySelector<HTMLTextAreaElement>('#edit-c1-prompt')!.value).toBe('Ein Wort?');
    expect(form.el.querySelector<HTMLInputElement>('#edit-c1-max')!.value).toBe('2');
    expect(form.el.querySelector('#edit-c1-open')).toBeNull();
    form.el.querySelector<HTMLTextAreaElement>('#edit-c1-prompt')!.value = 'Ein Wort, bitte?';
    form.el.requestSubmit();
    await flush();
    expect(create).toHaveBeenCalledWith({ prompt: 'Ein Wort, bitte?', maxEntries: 2, resultsVisible: false });
  });
});
