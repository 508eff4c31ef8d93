/**
 * Organiser control (issue 8) against the real server routes: PATCH/DELETE events and stages,
 * PUT/DELETE/duplicate polls and clouds, PUT stages/{id}/order, POST stages/{id}/reset.
 *
 * The organiser, from the console alone and by keyboard where it matters: renames the event and a
 * stage, edits a draft poll and a cloud prompt, duplicates, reorders with the up/down buttons,
 * deletes a poll, a cloud and a talk through the confirmation dialog, resets a stage after a
 * rehearsal (votes gone, polls kept), deletes a stage, and deletes the event by typing its name.
 * Every step is checked against the server's REST answers.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { axeScan, castVotes, describeViolations, DESKTOP, eventually, launchBrowser, newContext, Rest, screenshot, seriousOrCritical, waitForText } from './support';

const baseUrl = inject('baseUrl');
const token = inject('organiserToken');
const rest = new Rest(baseUrl, token);

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

type PollList = Array<{ poll: { id: string; question: string; state: string; options?: Array<{ label: string }> }; results: { voters: number } | null }>;
type CloudList = Array<{ cloud: { id: string; prompt: string } }>;

async function confirmInDialog(page: Page, typed?: string): Promise<void> {
  const dialog = page.locator('dialog.confirm-dialog');
  await dialog.waitFor();
  if (typed !== undefined) await dialog.locator('input').fill(typed);
  await dialog.locator('button[type=submit]').click();
  await dialog.waitFor({ state: 'detached' });
}

describe('organiser control', () => {
  it('edits, duplicates, reorders, resets and deletes from the console', async () => {
    const event = await rest.createEvent('Kontrolltag');
    const stage = await rest.createStage(event.id, 'Saal Alt');
    const other = await rest.createStage(event.id, 'Nebenraum');
    const first = await rest.createPoll(stage.id, { kind: 'single', question: 'Erste Frage?', options: ['A', 'B'] });
    const second = await rest.createPoll(stage.id, { kind: 'single', question: 'Zweite Frage?', options: ['Ja', 'Nein'], open: true });
    await rest.createCloud(stage.id, { prompt: 'Ein Wort?', maxEntries: 3 });
    await rest.call('POST', `stages/${stage.id}/talks`, { title: 'Wird gestrichen', speakers: '', startsAt: new Date(Date.now() + 3600_000).toISOString(), endsAt: new Date(Date.now() + 7200_000).toISOString() });

    const { context, foreignRequests } = await newContext(browser, DESKTOP, baseUrl);
    const page = await context.newPage();
    await page.goto(`${baseUrl}organiser.html?event=${event.id}#token=${token}`);
    await waitForText(page, 'h1', /Kontrolltag/);
    const card = page.locator(`section.stage-card[data-stage-id="${stage.id}"]`);
    await card.locator('.poll-summary:not(.cloud-summary) li', { hasText: 'Zweite Frage?' }).waitFor();

    // Rename the event and the stage.
    await page.click('button.rename-open:has-text("Veranstaltung umbenennen")');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('Kontrolltag 2027');
    await page.keyboard.press('Enter');
    await waitForText(page, 'h1', /Kontrolltag 2027/);
    await card.locator('button.rename-open').click();
    await card.locator('.rename-form input').fill('Saal Neu');
    await card.locator('.rename-form button[type=submit]').click();
    await waitForText(page, `section.stage-card[data-stage-id="${stage.id}"] h2 .stage-name`, /Saal Neu/);
    expect((await rest.call<{ name: string }>('GET', `events/${event.id}`)).name).toBe('Kontrolltag 2027');
    expect((await rest.call<{ name: string }>('GET', `stages/${stage.id}`)).name).toBe('Saal Neu');

    // Edit the draft poll (the open one offers no "edit").
    const polls = card.locator('.poll-summary:not(.cloud-summary)');
    expect(await polls.locator(`button[data-item="${second.poll.id}"][data-action="edit"]`).count()).toBe(0);
    await polls.locator(`button[data-item="${first.poll.id}"][data-action="edit"]`).click();
    await polls.locator('.plan-item-editor textarea[id$="-question"]').fill('Erste Frage, neu?');
    await polls.locator('.plan-item-editor textarea[id$="-options"]').fill('A\nB\nC');
    await polls.locator('.plan-item-editor button[type=submit]').click();
    await polls.locator('li', { hasText: 'Erste Frage, neu?' }).waitFor();
    let serverPolls = await rest.call<PollList>('GET', `stages/${stage.id}/polls`);
    expect(serverPolls.find((p) => p.poll.id === first.poll.id)!.poll.options!.map((o) => o.label)).toEqual(['A', 'B', 'C']);

    // Duplicate, then move the copy to the top with the keyboard.
    await polls.locator(`button[data-item="${first.poll.id}"][data-action="duplicate"]`).click();
    await expectCount(polls.locator('li.plan-item'), 3);
    serverPolls = await rest.call<PollList>('GET', `stages/${stage.id}/polls`);
    const copy = serverPolls.find((p) => p.poll.id !== first.poll.id && p.poll.id !== second.poll.id)!;
    expect(copy.poll).toMatchObject({ question: 'Erste Frage, neu?', state: 'draft' });
    const before = serverPolls.map((p) => p.poll.id);
    const copyUp = polls.locator(`button[data-item="${copy.poll.id}"][data-action="moveUp"]`);
    await copyUp.focus();
    const position = (id: string) => page.evaluate((itemId) => [...document.querySelectorAll('.poll-summary:not(.cloud-summary) li.plan-item')].findIndex((li) => li.getAttribute('data-id') === itemId), id);
    for (let at = before.indexOf(copy.poll.id); at > 0; at--) {
      // Enter on the focused "up": the copy climbs one place and the keyboard stays with it.
      await page.keyboard.press('Enter');
      await eventually(async () => (await position(copy.poll.id)) === at - 1, 10_000, `the copy at place ${at}`);
      expect(await page.evaluate(() => document.activeElement?.getAttribute('data-item'))).toBe(copy.poll.id);
    }
    serverPolls = await rest.call<PollList>('GET', `stages/${stage.id}/polls`);
    expect(serverPolls.map((p) => p.poll.id)).toEqual([copy.poll.id, ...before.filter((id) => id !== copy.poll.id)]);

    // Delete the copy through the dialog; the dialog is axe-clean.
    await polls.locator(`button[data-item="${copy.poll.id}"][data-action="delete"]`).click();
    await page.locator('dialog.confirm-dialog').waitFor();
    const violations = await axeScan(page);
    expect(describeViolations(seriousOrCritical(violations))).toBe('');
    await screenshot(page, 'organiser-control-dialog');
    await confirmInDialog(page);
    await expectCount(polls.locator('li.plan-item'), 2);

    // Cloud: edit the prompt, duplicate, delete the copy.
    const clouds = card.locator('.cloud-summary');
    const cloudId = (await rest.call<CloudList>('GET', `stages/${stage.id}/clouds`))[0].cloud.id;
    await clouds.locator(`button[data-item="${cloudId}"][data-action="edit"]`).click();
    await clouds.locator('.plan-item-editor textarea').fill('Ein Wort, bitte?');
    await clouds.locator('.plan-item-editor button[type=submit]').click();
    await clouds.locator('li', { hasText: 'Ein Wort, bitte?' }).waitFor();
    await clouds.locator(`button[data-item="${cloudId}"][data-action="duplicate"]`).click();
    await expectCount(clouds.locator('li.plan-item'), 2);
    const cloudCopy = (await rest.call<CloudList>('GET', `stages/${stage.id}/clouds`)).find((c) => c.cloud.id !== cloudId)!;
    await clouds.locator(`button[data-item="${cloudCopy.cloud.id}"][data-action="delete"]`).click();
    await confirmInDialog(page);
    await expectCount(clouds.locator('li.plan-item'), 1);
    expect((await rest.call<CloudList>('GET', `stages/${stage.id}/clouds`)).map((c) => c.cloud.prompt)).toEqual(['Ein Wort, bitte?']);

    // The talk, through the same dialog.
    await card.locator('.talk-item', { hasText: 'Wird gestrichen' }).locator('[data-action=delete]').click();
    await confirmInDialog(page);
    await card.locator('.talk-item', { hasText: 'Wird gestrichen' }).waitFor({ state: 'detached' });

    // Test mode: votes of the rehearsal are gone, the polls stay.
    const seeder = await context.newPage();
    await seeder.goto(`${baseUrl}accessibility.html`);
    const optionIds = (await rest.call<{ poll: { options: Array<{ id: string }> } }>('GET', `stages/${stage.id}/polls/${second.poll.id}`)).poll.options.map((o) => o.id);
    await castVotes(seeder, stage.code, [{ pollId: second.poll.id, choices: [optionIds[0]] }, { pollId: second.poll.id, choices: [optionIds[1]] }]);
    await eventually(async () => (await rest.results(stage.id, second.poll.id)).voters === 2, 10_000, 'two rehearsal votes');
    await card.locator('button[data-action="reset-stage"]').click();
    await confirmInDialog(page);
    await eventually(async () => (await rest.results(stage.id, second.poll.id)).voters === 0, 10_000, 'no votes after the reset');
    expect((await rest.call<PollList>('GET', `stages/${stage.id}/polls`)).length).toBe(2);

    // Moderators may export only once the organiser ticks the box (keyboard: Space on the checkbox).
    const access = await rest.call<{ token: string }>('POST', `events/${event.id}/moderators`, { label: 'Saal' });
    const exportAs = (bearer: string) => fetch(new URL(`api/v1/events/${event.id}/export`, baseUrl), { headers: { Authorization: `Bearer ${bearer}` } }).then((r) => r.status);
    expect(await exportAs(access.token)).toBe(403);
    const mayExport = page.locator('.export-permission input[type=checkbox]');
    expect(await mayExport.isChecked()).toBe(false);
    await mayExport.focus();
    await page.keyboard.press('Space');
    await waitForText(page, '.export-permission [role=status]', /Gespeichert/);
    expect((await rest.call<{ moderatorsMayExport: boolean }>('GET', `events/${event.id}`)).moderatorsMayExport).toBe(true);
    expect(await exportAs(access.token)).toBe(200);

    // Delete a stage.
    const otherCard = page.locator(`section.stage-card[data-stage-id="${other.id}"]`);
    await otherCard.locator('button[data-action="delete-stage"]').click();
    await confirmInDialog(page);
    await otherCard.waitFor({ state: 'detached' });
    await expect(rest.call('GET', `stages/${other.id}`)).rejects.toThrow(/404/);

    // Delete the event: the wrong name is refused in the dialog, the right one deletes it.
    await page.click('button[data-action="delete-event"]');
    const dialog = page.locator('dialog.confirm-dialog');
    await dialog.locator('input').fill('Kontrolltag');
    await dialog.locator('button[type=submit]').click();
    await waitForText(page, 'dialog.confirm-dialog [role=alert]', /stimmt nicht/);
    await confirmInDialog(page, 'Kontrolltag 2027');
    await page.waitForURL((url) => !url.searchParams.has('event'));
    await expect(rest.call('GET', `events/${event.id}`)).rejects.toThrow(/404/);
    expect(foreignRequests).toEqual([]);
    await context.close();
  });

  it('shows the server’s refusal in plain words', async () => {
    const event = await rest.createEvent('Abgelehnt');
    await rest.createStage(event.id, 'Saal');
    const { context } = await newContext(browser, DESKTOP, baseUrl);
    const page = await context.newPage();
    // The event is deleted behind the console's back: renaming it is refused with the server's message.
    await page.goto(`${baseUrl}organiser.html?event=${event.id}#token=${token}`);
    await waitForText(page, 'h1', /Abgelehnt/);
    await rest.call('DELETE', `events/${event.id}?confirm=${encodeURIComponent('Abgelehnt')}`);
    await page.click('button.rename-open:has-text("Veranstaltung umbenennen")');
    await page.keyboard.type(' neu');
    await page.keyboard.press('Enter');
    await waitForText(page, '.rename-form [role=alert]', /Das hat nicht geklappt: .+/);
    await context.close();
  });
});

async function expectCount(locator: import('playwright-core').Locator, count: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while ((await locator.count()) !== count) {
    if (Date.now() > deadline) throw new Error(`expected ${count} elements, found ${await locator.count()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
