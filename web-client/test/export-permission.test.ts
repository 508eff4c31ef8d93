// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { ApiError } from '../src/lib/api';
import type { PlenumEvent } from '../src/lib/protocol';
import { ExportPermissionBox } from '../src/ui/export-permission';

const event = (moderatorsMayExport?: boolean): PlenumEvent => ({ id: 'ev1', name: 'Kongress', createdAt: '2026-12-04T08:00:00.000Z', stages: [], moderatorsMayExport });
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('ExportPermissionBox', () => {
  it('shows the event’s setting, saves a change, and puts the box back on a refusal', async () => {
    const saved: boolean[] = [];
    let refuse = false;
    const view = new ExportPermissionBox(event(undefined), async (allowed) => {
      saved.push(allowed);
      if (refuse) throw new ApiError(403, 'forbidden', 'nur Organisatoren');
      return event(allowed);
    });
    document.body.append(view.el);
    const box = view.el.querySelector('input[type=checkbox]') as HTMLInputElement;
    expect(box.checked).toBe(false);
    expect(view.el.querySelector('label')!.textContent).not.toBe('');
    box.click();
    await settle();
    expect(saved).toEqual([true]);
    expect(box.checked).toBe(true);
    refuse = true;
    box.click();
    await settle();
    expect(saved).toEqual([true, false]);
    expect(box.checked).toBe(true);
    expect(view.el.querySelector('[role=status]')!.textContent).toContain('nur Organisatoren');
  });
});
