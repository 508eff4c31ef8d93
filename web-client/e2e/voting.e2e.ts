import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page, WebSocketRoute } from 'playwright-core';
import { DESKTOP, eventually, launchBrowser, newContext, PHONE, Rest, screenshot, waitForText } from './support';

const baseUrl = inject('baseUrl');
const token = inject('organiserToken');
const rest = new Rest(baseUrl, token);

let browser: Browser;
let eventId: string;
let stage: { id: string; code: string };
let otherStage: { id: string; code: string };

beforeAll(async () => {
  browser = await launchBrowser();
  const event = await rest.createEvent('E2E Digitalkongress');
  eventId = event.id;
  stage = await rest.createStage(eventId, 'Hauptbühne');
  otherStage = await rest.createStage(eventId, 'Forum');
});

afterAll(async () => {
  await browser?.close();
});

const card = (pollId: string) => `article[data-poll-id="${pollId}"]`;

async function openModerator(): Promise<Page> {
  const { context, foreignRequests } = await newContext(browser, DESKTOP, baseUrl);
  const page = await context.newPage();
  await page.goto(`${baseUrl}moderator.html?event=${eventId}#token=${encodeURIComponent(token)}`);
  // The token moved from the address into this tab's session storage.
  await page.waitForSelector('.stage-table tbody tr');
  expect(page.url()).not.toContain('token');
  expect(await page.evaluate(() => sessionStorage.getItem('plenum.organiserToken'))).toBe(token);
  page.on('close', () => expect(foreignRequests).toEqual([]));
  return page;
}

describe('voting', () => {
  it('a viewer on a phone votes and the moderator on a desktop sees the result move', async () => {
    const { poll } = await rest.createPoll(stage.id, { kind: 'single', question: 'Nutzen Sie die eID?', options: ['Ja', 'Nein', 'Weiß nicht'], open: true, resultsVisible: true });
    const moderator = await openModerator();
    await waitForText(moderator, `${card(poll.id)} li[data-key="b"]`, /0\s?%.*0 Stimmen/);

    const { context, foreignRequests } = await newContext(browser, PHONE, baseUrl);
    const viewer = await context.newPage();
    await viewer.goto(`${baseUrl}?code=${stage.code}`);
    await waitForText(viewer, 'h1', /Hauptbühne/);
    await viewer.click(`${card(poll.id)} label:has-text("Nein")`);
    await viewer.click(`${card(poll.id)} button[type=submit]`);
    await waitForText(viewer, `${card(poll.id)} [role=status]`, /Ihre Stimme wurde gezählt/);

    await waitForText(moderator, `${card(poll.id)} li[data-key="b"]`, /100\s?%.*\(1 Stimme\)/);
    await waitForText(moderator, `tr[data-stage-id="${stage.id}"] td.viewers`, /^1$/);
    await waitForText(viewer, `${card(poll.id)} li[data-key="b"]`, /100\s?%/);
    expect((await rest.results(stage.id, poll.id)).voters).toBe(1);

    // A reload keeps the participant (token in localStorage): voting again moves the vote.
    await viewer.reload();
    await waitForText(viewer, `${card(poll.id)} [role=status]`, /bereits abgestimmt/);
    expect(await viewer.isChecked(`${card(poll.id)} input[value="b"]`)).toBe(true);
    await viewer.click(`${card(poll.id)} label:has-text("Ja")`);
    await viewer.click(`${card(poll.id)} button[type=submit]`);
    await waitForText(viewer, `${card(poll.id)} [role=status]`, /Ihre Stimme wurde gezählt/);
    await waitForText(moderator, `${card(poll.id)} li[data-key="a"]`, /100\s?%.*\(1 Stimme\)/);
    const results = await rest.results(stage.id, poll.id);
    expect(results.voters).toBe(1);
    expect(results.counts).toMatchObject({ a: 1, b: 0, c: 0 });
    expect(foreignRequests).toEqual([]);
    await context.close();
    await moderator.context().close();
  });

  it('the moderator creates, reveals and closes a poll; the viewer follows live', async () => {
    const moderator = await openModerator();
    const { context } = await newContext(browser, PHONE, baseUrl);
    const viewer = await context.newPage();
    await viewer.goto(`${baseUrl}?stage=${stage.id}`);
    await waitForText(viewer, 'h1', /Hauptbühne/);

    await moderator.click('details.create-poll > summary');
    const prefix = `#new-poll-${stage.id}`;
    await moderator.selectOption(`${prefix}-kind`, 'multiple');
    await moderator.fill(`${prefix}-question`, 'Welche Themen interessieren Sie?');
    await moderator.fill(`${prefix}-options`, 'KI\nCloud\nOZG');
    await moderator.fill(`${prefix}-max`, '2');
    await moderator.click('.poll-form button[type=submit]');

    const pollCard = viewer.locator('article.poll-card', { hasText: 'Welche Themen interessieren Sie?' });
    await pollCard.waitFor();
    expect(await pollCard.locator('input[type=checkbox]').count()).toBe(3);
    await waitForText(viewer, '[role=status][aria-live=polite].sr-only', /Neue Abstimmung: Welche Themen/);
    expect(await pollCard.locator('.poll-results').isHidden()).toBe(true);

    // Three choices are too many; the viewer is told so and nothing is sent.
    for (const label of ['KI', 'Cloud', 'OZG']) await pollCard.locator(`label:has-text("${label}")`).click();
    await pollCard.locator('button[type=submit]').click();
    expect(await pollCard.locator('[role=status]').textContent()).toMatch(/höchstens 2/);
    await pollCard.locator('label:has-text("Cloud")').click();
    await pollCard.locator('button[type=submit]').click();
    await pollCard.locator('[role=status]', { hasText: 'gezählt' }).waitFor();

    const modCard = moderator.locator('article.moderator-poll', { hasText: 'Welche Themen interessieren Sie?' });
    await modCard.locator('li[data-key="a"]', { hasText: '1 Stimme' }).waitFor();
    await modCard.locator('button', { hasText: 'Ergebnis zeigen' }).click();
    await pollCard.locator('.poll-results li[data-key="c"]', { hasText: '100' }).waitFor();
    await modCard.locator('button', { hasText: 'Schließen' }).click();
    await pollCard.locator('.badge', { hasText: 'Beendet' }).waitFor();
    expect(await pollCard.locator('form').count()).toBe(0);
    // The focus stayed on the state button, now labelled for the next step.
    expect(await moderator.evaluate(() => document.activeElement?.textContent)).toBe('Wieder öffnen');
    await context.close();
    await moderator.context().close();
  });

  it('keyboard only: join by code and vote', async () => {
    const { poll } = await rest.createPoll(otherStage.id, { kind: 'rating', question: 'Wie war der Vortrag?', scale: 5, open: true, resultsVisible: false });
    const { context } = await newContext(browser, DESKTOP, baseUrl);
    const page = await context.newPage();
    await page.goto(baseUrl);

    const focused = () => page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el) return null;
      const style = getComputedStyle(el);
      return { tag: el.tagName, id: el.id, type: (el as HTMLInputElement).type, text: el.textContent?.trim() ?? '', outline: style.outlineStyle, outlineWidth: style.outlineWidth };
    });
    await page.keyboard.press('Tab');
    expect(await focused()).toMatchObject({ tag: 'A', text: 'Zum Inhalt springen' });
    async function tabTo(match: (f: NonNullable<Awaited<ReturnType<typeof focused>>>) => boolean, max = 20) {
      for (let i = 0; i < max; i++) {
        const f = await focused();
        if (f && match(f)) return f;
        await page.keyboard.press('Tab');
      }
      throw new Error(`never reached the element; focus is on ${JSON.stringify(await focused())}`);
    }
    await tabTo((f) => f.id === 'join-code');
    await page.keyboard.type(otherStage.code.toLowerCase());
    await page.keyboard.press('Enter');
    await waitForText(page, 'h1', /Forum/);

    const radio = await tabTo((f) => f.tag === 'INPUT' && f.type === 'radio');
    expect(radio.outline).not.toBe('none'); // the focus is visible
    expect(parseFloat(radio.outlineWidth)).toBeGreaterThanOrEqual(2);
    // Arrow keys move through the radio group and choose: 1 → 2 → 3 → 4.
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
    expect(await page.isChecked(`${card(poll.id)} input[value="4"]`)).toBe(true);
    const button = await tabTo((f) => f.tag === 'BUTTON' && f.text === 'Abstimmen', 3);
    expect(button.outline).not.toBe('none');
    await page.keyboard.press('Enter');
    await waitForText(page, `${card(poll.id)} [role=status]`, /Ihre Stimme wurde gezählt/);
    const results = await rest.results(otherStage.id, poll.id);
    expect(results).toMatchObject({ voters: 1, counts: { '4': 1 } });
    await screenshot(page, 'viewer-keyboard-desktop');
    await context.close();
  });
});

/** Sits between the page and the server, so a test can cut the connection at the worst moment. */
class ConnectionCutter {
  blocked = false;
  dropNextVoteAck = false;
  droppedAck: Record<string, unknown> | null = null;
  readonly fromClient: Array<Record<string, unknown>> = [];
  readonly fromServer: Array<Record<string, unknown>> = [];
  connections = 0;
  private cutCurrent: (() => void) | null = null;

  handle(ws: WebSocketRoute): void {
    this.connections++;
    if (this.blocked) {
      ws.close({ code: 4000, reason: 'network down (test)' });
      return;
    }
    const server = ws.connectToServer();
    ws.onMessage((text) => {
      this.fromClient.push(JSON.parse(String(text)));
      server.send(text);
    });
    server.onMessage((text) => {
      const message = JSON.parse(String(text));
      this.fromServer.push(message);
      if (this.dropNextVoteAck && message.type === 'ack') {
        // The server applied the vote, but the answer is lost with the connection.
        this.dropNextVoteAck = false;
        this.droppedAck = message;
        this.blocked = true;
        this.cut();
        return;
      }
      ws.send(text);
    });
    this.cutCurrent = () => {
      ws.close({ code: 4000, reason: 'network down (test)' });
      server.close();
    };
  }

  cut(): void {
    this.cutCurrent?.();
    this.cutCurrent = null;
  }
}

describe('connection trouble', () => {
  it('a vote whose ack is lost in a cut connection is resent with its id and counted once', async () => {
    const { poll } = await rest.createPoll(stage.id, { kind: 'single', question: 'Verbindungstest?', options: ['Ja', 'Nein'], open: true, resultsVisible: true });
    const { context } = await newContext(browser, PHONE, baseUrl);
    const cutter = new ConnectionCutter();
    await context.routeWebSocket(/\/ws$/, (ws) => cutter.handle(ws));
    const viewer = await context.newPage();
    await viewer.goto(`${baseUrl}?code=${stage.code}`);
    await viewer.waitForSelector(card(poll.id));

    cutter.dropNextVoteAck = true;
    await viewer.click(`${card(poll.id)} label:has-text("Nein")`);
    await viewer.click(`${card(poll.id)} button[type=submit]`);
    await eventually(() => cutter.droppedAck, 10_000, 'the vote ack');
    const voteId = cutter.droppedAck!.id;
    expect(cutter.droppedAck).toMatchObject({ duplicate: false });

    // Offline: the banner says so, the vote says it waits.
    await waitForText(viewer, '.connection-banner [role=status]', /Keine Verbindung/);
    await waitForText(viewer, `${card(poll.id)} [role=status]`, /Keine Verbindung: Ihre Stimme ist gespeichert/);
    expect(await viewer.getAttribute('.connection-banner', 'data-state')).toBe('offline');
    await screenshot(viewer, 'viewer-offline-phone');
    await new Promise((r) => setTimeout(r, 1500)); // a few refused reconnects
    expect(cutter.connections).toBeGreaterThan(1);
    expect((await rest.results(stage.id, poll.id)).voters).toBe(1);

    cutter.blocked = false;
    await waitForText(viewer, `${card(poll.id)} [role=status]`, /Ihre Stimme wurde gezählt/, 30_000);
    const sentVotes = cutter.fromClient.filter((m) => m.type === 'vote');
    expect(sentVotes.map((m) => m.id)).toEqual([voteId, voteId]);
    const acks = cutter.fromServer.filter((m) => m.type === 'ack' && m.id === voteId);
    expect(acks).toEqual([
      { type: 'ack', id: voteId, duplicate: false },
      { type: 'ack', id: voteId, duplicate: true },
    ]);
    // The rejoin presented the same participant token before the resend.
    const joins = cutter.fromClient.filter((m) => m.type === 'join');
    const lastJoin = joins.at(-1)!;
    expect(lastJoin.token).toBeTruthy();
    expect(cutter.fromClient.indexOf(lastJoin)).toBeLessThan(cutter.fromClient.lastIndexOf(sentVotes[1]));
    const results = await rest.results(stage.id, poll.id);
    expect(results.voters).toBe(1);
    expect(results.counts).toMatchObject({ a: 0, b: 1 });
    await waitForText(viewer, '.connection-banner [role=status]', /Wieder verbunden/);

    // A vote changed while offline waits, is sent after the reconnect, and moves the count.
    cutter.blocked = true;
    cutter.cut();
    await waitForText(viewer, '.connection-banner [role=status]', /Keine Verbindung/);
    await viewer.click(`${card(poll.id)} label:has-text("Ja")`);
    await viewer.click(`${card(poll.id)} button[type=submit]`);
    await waitForText(viewer, `${card(poll.id)} [role=status]`, /Keine Verbindung: Ihre Stimme ist gespeichert/);
    expect((await rest.results(stage.id, poll.id)).counts).toMatchObject({ a: 0, b: 1 });
    cutter.blocked = false;
    // "Reconnect now" skips the rest of the backoff wait (unless the page was quicker).
    await viewer.click('.connection-banner button', { timeout: 2000 }).catch(() => undefined);
    await waitForText(viewer, `${card(poll.id)} [role=status]`, /Ihre Stimme wurde gezählt/, 30_000);
    const final = await rest.results(stage.id, poll.id);
    expect(final.voters).toBe(1);
    expect(final.counts).toMatchObject({ a: 1, b: 0 });
    await context.close();
  });
});
