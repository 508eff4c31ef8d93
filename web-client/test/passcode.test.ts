// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { ApiError, PlenumApi } from '../src/lib/api';
import type { PlenumEvent } from '../src/lib/protocol';
import { memoryStorage } from '../src/lib/storage';
import { EventPasscodeBox } from '../src/ui/event-passcode';
import { needsPasscode, passcodeForm, PASSCODE_KEY, RememberedPasscode } from '../src/ui/passcode-form';

const settle = () => new Promise((r) => setTimeout(r, 0));
const event = (passcode?: string): PlenumEvent => ({
  id: 'ev1',
  name: 'Kongress',
  createdAt: '2026-12-04T08:00:00.000Z',
  stages: [],
  passcodeRequired: passcode !== undefined,
  ...(passcode ? { passcode } : {}),
});

describe('a closed event on the viewer page (issue 12)', () => {
  it('remembers the passcode for the tab, trimmed, and forgets it', () => {
    const storage = memoryStorage();
    const remembered = new RememberedPasscode(storage);
    expect(remembered.get()).toBeNull();
    remembered.set('  Amt2026 ');
    expect(storage.get(PASSCODE_KEY)).toBe('Amt2026');
    expect(remembered.get()).toBe('Amt2026');
    remembered.forget();
    expect(remembered.get()).toBeNull();
  });

  it('knows which refusals ask for the passcode', () => {
    expect(needsPasscode('passcode_required')).toBe(true);
    expect(needsPasscode('wrong_passcode')).toBe(true);
    expect(needsPasscode('unknown_stage')).toBe(false);
    expect(needsPasscode(undefined)).toBe(false);
  });

  it('prompts with a labelled field, refuses an empty one, and hands on what was typed', () => {
    const submitted: string[] = [];
    const el = passcodeForm('passcode.error.wrong', (v) => submitted.push(v), '/');
    document.body.replaceChildren(el);
    const input = el.querySelector('#passcode') as HTMLInputElement;
    expect(el.querySelector('label[for=passcode]')!.textContent).not.toBe('');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(input.getAttribute('aria-describedby')).toContain('passcode-error');
    expect((el.querySelector('#passcode-error') as HTMLElement).hidden).toBe(false);
    const form = el.querySelector('form')!;
    input.value = '   ';
    form.dispatchEvent(new Event('submit', { cancelable: true }));
    expect(submitted).toEqual([]);
    input.value = ' Amt2026 ';
    form.dispatchEvent(new Event('submit', { cancelable: true }));
    expect(submitted).toEqual(['Amt2026']);
  });

  it('sends the passcode with the audience’s reads as X-Plenum-Passcode', async () => {
    const seen: Array<string | null> = [];
    const api = new PlenumApi('http://localhost/index.html', () => null, async (_url, init) => {
      seen.push(new Headers(init?.headers).get('X-Plenum-Passcode'));
      return new Response(JSON.stringify(event('x')), { status: 200 });
    });
    await api.getEvent('ev1');
    api.passcode = () => 'Amt2026';
    await api.getEvent('ev1');
    expect(seen).toEqual([null, 'Amt2026']);
  });
});

describe('EventPasscodeBox (organiser)', () => {
  it('shows the state, saves, refuses a short passcode without asking the server, and removes it', async () => {
    const saved: Array<string | null> = [];
    const box = new EventPasscodeBox(event(undefined), async (value) => {
      saved.push(value);
      if (value === 'boom') throw new ApiError(400, 'invalid_field', 'passcode: 4-64 characters');
      return event(value ?? undefined);
    });
    document.body.replaceChildren(box.el);
    const input = box.el.querySelector('input') as HTMLInputElement;
    const form = box.el.querySelector('form')!;
    const remove = [...box.el.querySelectorAll('button')].find((b) => b.type === 'button')!;
    expect(remove.hidden).toBe(true);
    input.value = 'abc';
    form.dispatchEvent(new Event('submit', { cancelable: true }));
    expect(saved).toEqual([]);
    expect(input.getAttribute('aria-invalid')).toBe('true');
    input.value = 'Amt2026';
    form.dispatchEvent(new Event('submit', { cancelable: true }));
    await settle();
    expect(saved).toEqual(['Amt2026']);
    expect(remove.hidden).toBe(false);
    input.value = 'boom';
    form.dispatchEvent(new Event('submit', { cancelable: true }));
    await settle();
    expect(box.el.querySelector('[role=status]')!.textContent).toContain('4-64');
    remove.click();
    await settle();
    expect(saved).toEqual(['Amt2026', 'boom', null]);
    expect(remove.hidden).toBe(true);
    expect(input.value).toBe('');
  });
});
