import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { axeScan, DESKTOP, describeViolations, launchBrowser, newContext, PHONE, Rest, screenshot, seriousOrCritical, waitForText } from './support';

const baseUrl = inject('baseUrl');
const token = inject('organiserToken');
const rest = new Rest(baseUrl, token);

let browser: Browser;
let stage: { id: string; code: string };
let talkId: string;

beforeAll(async () => {
  browser = await launchBrowser();
  const event = await rest.createEvent('E2E Feedback');
  stage = await rest.createStage(event.id, 'Saal Bonn');
  const now = Date.now();
  const talk = await rest.call<{ id: string }>('POST', `stages/${stage.id}/talks`, {
    title: 'Digitale Verwaltung',
    speakers: 'Dr. A. Beispiel',
    startsAt: new Date(now - 10 * 60_000).toISOString(),
    endsAt: new Date(now + 50 * 60_000).toISOString(),
  });
  talkId = talk.id;
  await rest.call('PUT', `stages/${stage.id}/talks/${talkId}/survey`, {
    questions: [
      { kind: 'rating', text: 'Wie fanden Sie den Vortrag?', scale: 5, required: true },
      { kind: 'single', text: 'War er nützlich?', options: ['Ja', 'Nein'] },
      { kind: 'text', text: 'Was sollten wir ändern?', maxLength: 200 },
    ],
  });
  await rest.call('POST', `stages/${stage.id}/talks/${talkId}/survey/open`);
});

afterAll(async () => {
  await browser?.close();
});

describe('a talk’s feedback survey (issue 12)', () => {
  it('a viewer fills it in by keyboard and the moderator reads the results', async () => {
    const { context, foreignRequests } = await newContext(browser, PHONE, baseUrl);
    const page = await context.newPage();
    await page.goto(`${baseUrl}?stage=${stage.id}#comments`);
    await waitForText(page, '.survey-card h2', /Digitale Verwaltung/);
    const violations = await axeScan(page);
    if (violations.length) console.log(`axe viewer-survey-phone:\n${describeViolations(violations)}`);
    expect(describeViolations(seriousOrCritical(violations))).toBe('');
    await screenshot(page, 'viewer-survey-phone');

    // Keyboard only: focus the first rating, arrow to 4, tab to the next group, choose, type, send.
    await page.locator(`#survey-${talkId}-q1-1`).focus();
    await page.keyboard.press('Space');
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
    expect(await page.locator(`#survey-${talkId}-q1-4`).isChecked()).toBe(true);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Mehr Beispiele aus Kommunen');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await waitForText(page, '.survey-card [role=status]', /Danke/);

    const result = await rest.call<{ results: { respondents: number; questions: Array<{ mean?: number; counts?: Record<string, number>; texts?: string[] }> } }>(
      'GET',
      `stages/${stage.id}/talks/${talkId}/survey`,
    );
    expect(result.results.respondents).toBe(1);
    expect(result.results.questions[0].mean).toBe(4);
    expect(result.results.questions[1].counts?.a).toBe(1);
    expect(result.results.questions[2].texts).toEqual(['Mehr Beispiele aus Kommunen']);
    // the audience never sees the texts
    const open = await rest.call<{ results: unknown }>('GET', `stages/${stage.id}/talks/${talkId}/survey`, undefined, false);
    expect(open.results).toBeNull();

    expect(foreignRequests).toEqual([]);
    await context.close();
  });

  it('a moderator defines and opens a survey on the dashboard, a viewer answers, the moderator sees the result', async () => {
    const event = await rest.createEvent('E2E Feedback Dashboard');
    const st = await rest.createStage(event.id, 'Saal Köln');
    const now = Date.now();
    const talk = await rest.call<{ id: string }>('POST', `stages/${st.id}/talks`, {
      title: 'Offene Daten',
      speakers: 'B. Muster',
      startsAt: new Date(now - 5 * 60_000).toISOString(),
      endsAt: new Date(now + 55 * 60_000).toISOString(),
    });
    const { context: modContext } = await newContext(browser, DESKTOP, baseUrl);
    const moderator = await modContext.newPage();
    await moderator.goto(`${baseUrl}moderator.html?event=${event.id}#token=${encodeURIComponent(token)}`);
    const card = moderator.locator(`details.survey-card-moderator[data-talk-id="${talk.id}"]`);
    await card.locator(':scope > summary').waitFor();
    // by keyboard: open the talk's card, add a rating and a text question, mark required, save, open
    await card.locator(':scope > summary').focus();
    await moderator.keyboard.press('Enter');
    const p = `#msurvey-${talk.id}`;
    await moderator.selectOption(`${p}-add-kind`, 'text');
    await moderator.locator(`${p}-add-kind + button`).press('Enter');
    await moderator.keyboard.type('Was nehmen Sie mit?');
    await moderator.selectOption(`${p}-add-kind`, 'rating');
    await moderator.locator(`${p}-add-kind + button`).press('Enter');
    await moderator.keyboard.type('Wie hilfreich war der Vortrag?');
    await moderator.locator(`${p}-1-required`).press('Space');
    await moderator.locator(`${p}-1-up`).press('Enter');
    expect(await moderator.inputValue(`${p}-0-text`)).toBe('Wie hilfreich war der Vortrag?');
    await card.locator('button[type=submit]').press('Enter');
    await waitForText(moderator, `details[data-talk-id="${talk.id}"] > summary`, /Entwurf/);
    await card.locator('button', { hasText: 'Umfrage öffnen' }).press('Enter');
    await waitForText(moderator, `details[data-talk-id="${talk.id}"] > summary`, /offen/);
    await card.locator('.survey-results-panel > summary').press('Enter');
    await waitForText(moderator, `details[data-talk-id="${talk.id}"] .survey-respondents`, /Antworten: 0/);
    const modViolations = seriousOrCritical(await axeScan(moderator));
    expect(describeViolations(modViolations)).toBe('');
    await screenshot(moderator, 'moderator-survey');

    const { context } = await newContext(browser, PHONE, baseUrl);
    const viewer = await context.newPage();
    await viewer.goto(`${baseUrl}?stage=${st.id}#comments`);
    await waitForText(viewer, '.survey-card h2', /Offene Daten/);
    await viewer.locator(`#survey-${talk.id}-q1-5`).check();
    await viewer.fill(`.survey-card textarea`, 'Den Datenatlas');
    await viewer.click('.survey-card button[type=submit]');
    await waitForText(viewer, '.survey-card [role=status]', /Danke/);

    // the open results panel re-reads them every few seconds
    await waitForText(moderator, `details[data-talk-id="${talk.id}"] .survey-respondents`, /Antworten: 1/);
    await waitForText(moderator, `details[data-talk-id="${talk.id}"] .survey-results`, /Mittelwert 5\.0 von 5/);
    await waitForText(moderator, `details[data-talk-id="${talk.id}"] .survey-texts`, /Den Datenatlas/);
    await modContext.close();
    await context.close();
  });
});
