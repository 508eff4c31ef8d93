import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { axeScan, describeViolations, launchBrowser, newContext, PHONE, Rest, screenshot, seriousOrCritical, waitForText } from './support';

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
});
