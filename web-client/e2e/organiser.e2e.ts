import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { DESKTOP, launchBrowser, newContext, PHONE, Rest, screenshot, waitForText } from './support';

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

describe('organiser console', () => {
  it('signs in, creates an event, a stage and a poll in advance, and shows the links with a QR code', async () => {
    const { context, foreignRequests } = await newContext(browser, DESKTOP, baseUrl);
    const page = await context.newPage();
    await page.goto(`${baseUrl}organiser.html`);
    await page.fill('#login-token', 'wrong-token');
    await page.click('.login-form button[type=submit]');
    // The server refuses the wrong token (on the first read already): back to the sign-in form, with the reason.
    await waitForText(page, '#login-token-error', /nicht angenommen/);

    await page.fill('#login-token', token);
    await page.click('.login-form button[type=submit]');
    await page.fill('#event-name', 'Fachtag Verwaltungsdigitalisierung');
    await page.click('.inline-form button[type=submit]');
    await page.waitForURL(/organiser\.html\?event=/);
    await waitForText(page, 'h1', /Fachtag Verwaltungsdigitalisierung/);
    const eventId = new URL(page.url()).searchParams.get('event')!;

    await page.fill('#stage-name', 'Saal 1');
    await page.click('#stage-name ~ button, .inline-form button[type=submit]');
    const stageCard = page.locator('section.stage-card', { hasText: 'Saal 1' });
    await stageCard.locator('.qr svg').waitFor();
    const code = (await stageCard.locator('.code').textContent())!.trim();
    expect(code).toMatch(/^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{6}$/);
    const urls = await stageCard.locator('input.input-url').evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value));
    const stageId = new URL(urls[2]).searchParams.get('stage')!;
    expect(urls).toEqual([
      `${baseUrl}?code=${code}`,
      `${baseUrl}?code=${code}&src=stream`, // the stream page's link: its joins count as "stream"
      `${baseUrl}projector.html?stage=${stageId}`,
      `${baseUrl}overlay.html?stage=${stageId}&show=poll`,
    ]);
    expect(await page.locator('input.input-url').first().inputValue()).toBe(`${baseUrl}moderator.html?event=${eventId}`);
    expect(await stageCard.locator('.qr').getAttribute('aria-label')).toContain(`${baseUrl}?code=${code}`);

    await stageCard.locator('summary', { hasText: 'Abstimmung vorbereiten' }).click();
    await stageCard.locator('textarea[id$="-question"]').fill('Wie zufrieden sind Sie mit dem Fachtag?');
    await stageCard.locator('select[id$="-kind"]').selectOption('rating');
    await stageCard.locator('select[id$="-scale"]').selectOption('10');
    await stageCard.locator('.poll-form button[type=submit]').click();
    await stageCard.locator('.poll-summary li', { hasText: 'Wie zufrieden sind Sie mit dem Fachtag?' }).waitFor();
    expect(await stageCard.locator('.poll-summary:not(.cloud-summary) li .badge').textContent()).toBe('Entwurf');
    await screenshot(page, 'organiser-created-desktop');

    const polls = await rest.call<Array<{ poll: { kind: string; scale: number; state: string } }>>('GET', `stages/${stageId}/polls`);
    expect(polls.map((p) => p.poll)).toMatchObject([{ kind: 'rating', scale: 10, state: 'draft' }]);
    expect(foreignRequests).toEqual([]);
    await context.close();
  });

  it('the moderator link asks for the token when it has none, and takes it once', async () => {
    const event = await rest.createEvent('Anmeldetest');
    await rest.createStage(event.id, 'Saal A');
    const { context } = await newContext(browser, PHONE, baseUrl);
    const page = await context.newPage();
    await page.goto(`${baseUrl}moderator.html?event=${event.id}`);
    await page.fill('#login-token', 'nope');
    await page.keyboard.press('Enter');
    await waitForText(page, '#login-token-error', /nicht angenommen/);
    await page.fill('#login-token', token);
    await page.keyboard.press('Enter');
    await waitForText(page, 'h1', /Anmeldetest/);
    await page.click('button:has-text("Abmelden")');
    await page.waitForSelector('#login-token');
    expect(await page.evaluate(() => sessionStorage.getItem('plenum.organiserToken'))).toBeNull();
    await context.close();
  });
});
