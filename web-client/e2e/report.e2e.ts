/**
 * Issue 8, "a printable report per event and per talk": a small scripted event (two talks, a
 * poll with votes, a word cloud with entries, a question with upvotes, a comment, feedback and
 * reactions, all through the real WebSocket protocol), then the report page against the real
 * server: the charts are drawn, every chart has its table, the figures are the scripted ones,
 * per talk too; axe-core is clean, the page prints to a PDF, and the downloads carry the
 * organiser token in a header, never in an address. The statistics are real: the server (started
 * with PLENUM_STATS_SAMPLE_SECONDS=1 by global-setup) samples a second stage while two viewers
 * joined from the hall link and one from the stream link are connected.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { axeScan, castVotes, describeViolations, DESKTOP, eventually, launchBrowser, PHONE, newContext, participate, Rest, screenshot, screenshotDir, seriousOrCritical, waitForText } from './support';

const baseUrl = inject('baseUrl');
const token = inject('organiserToken');
const rest = new Rest(baseUrl, token);

let browser: Browser;
let eventId: string;
let runningTalkId: string;

beforeAll(async () => {
  browser = await launchBrowser();
  const event = await rest.createEvent('Fachtag Berichtswesen');
  eventId = event.id;
  const stage = await rest.createStage(event.id, 'Saal Nord');
  const now = Date.now();
  // The talk running now gets everything below; an earlier one stays empty.
  const earlier = await rest.call<{ id: string }>('POST', `stages/${stage.id}/talks`, { title: 'Begrüßung', speakers: '', startsAt: new Date(now - 3 * 3600_000).toISOString(), endsAt: new Date(now - 2 * 3600_000).toISOString() });
  const running = await rest.call<{ id: string }>('POST', `stages/${stage.id}/talks`, { title: 'Offene Daten', speakers: 'Dr. Rehm', startsAt: new Date(now - 600_000).toISOString(), endsAt: new Date(now + 3000_000).toISOString() });
  expect(earlier.id).not.toBe(running.id);
  runningTalkId = running.id;
  const poll = await rest.createPoll(stage.id, { kind: 'single', question: 'Nutzen Sie offene Daten?', options: ['Ja', 'Nein', 'Weiß nicht'], open: true });
  const pollId = poll.poll.id;
  const cloud = await rest.createCloud(stage.id, { prompt: 'Ein Wort zu offenen Daten', maxEntries: 3, open: true });
  const cloudId = cloud.cloud.id;

  const { context } = await newContext(browser, DESKTOP, baseUrl);
  const seeder = await context.newPage();
  await seeder.goto(`${baseUrl}accessibility.html`);
  const optionIds = (await rest.call<{ poll: { options: Array<{ id: string }> } }>('GET', `stages/${stage.id}/polls/${pollId}`)).poll.options.map((o) => o.id);
  await castVotes(seeder, stage.code, [
    { pollId, choices: [optionIds[0]] },
    { pollId, choices: [optionIds[0]] },
    { pollId, choices: [optionIds[0]] },
    { pollId, choices: [optionIds[1]] },
  ]);
  const answers = await participate(seeder, stage.code, [
    [{ type: 'word', cloudId, text: 'Transparenz' }, { type: 'word', cloudId, text: 'Lizenz' }, { type: 'post', kind: 'question', text: 'Welche Lizenz empfehlen Sie?' }],
    [{ type: 'word', cloudId, text: 'Transparenz' }, { type: 'post', kind: 'comment', text: 'Sehr hilfreich.' }, { type: 'react', emoji: '👏' }, { type: 'react', emoji: '👏' }],
    [{ type: 'post', kind: 'feedback', text: 'Bitte mehr Beispiele.' }, { type: 'react', emoji: '❤️' }],
  ]);
  expect(answers.flat().filter((a) => a.type !== 'ack')).toEqual([]);
  const question = (await rest.posts(stage.id)).find((p) => p.kind === 'question')!;
  if (question.state !== 'published') await rest.postCommand(stage.id, question.id, 'approve');
  const upvotes = await participate(seeder, stage.code, [[{ type: 'upvote', postId: question.id }], [{ type: 'upvote', postId: question.id }]]);
  expect(upvotes.flat().filter((a) => a.type !== 'ack')).toEqual([]);

  // Presence on a stage nobody else joins: 2 viewers from the hall QR code, 1 from the stream link.
  const hall = await rest.createStage(event.id, 'Saal Süd');
  await holdViewers(seeder, hall.code, ['hall', 'hall', 'stream']);
  type Sample = { viewers: number; viewersHall: number; viewersStream: number };
  await eventually(
    async () => (await rest.call<{ presence: Sample[] }>('GET', `stages/${hall.id}/export?format=json&kind=presence`)).presence.some((p) => p.viewers === 3 && p.viewersHall === 2 && p.viewersStream === 1),
    20_000,
    'a presence sample with 2 hall and 1 stream viewers',
  );
  await context.close();
});

/** Keeps viewers joined (each a new participant, with its join `source`) until the page closes. */
async function holdViewers(page: import('playwright-core').Page, code: string, sources: string[]): Promise<void> {
  await page.evaluate(
    async ({ code, sources }) => {
      const url = new URL('ws', location.href);
      url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
      const held: WebSocket[] = [];
      (window as unknown as { held: WebSocket[] }).held = held;
      await Promise.all(
        sources.map(
          (source, i) =>
            new Promise<void>((resolve, reject) => {
              const ws = new WebSocket(url);
              held.push(ws);
              const timer = setTimeout(() => reject(new Error('holdViewers timed out')), 10_000);
              ws.onopen = () => ws.send(JSON.stringify({ type: 'join', id: `hv${i}`, code, role: 'viewer', source }));
              ws.onmessage = (ev) => {
                const m = JSON.parse(String(ev.data));
                if (m.type === 'joined') {
                  clearTimeout(timer);
                  resolve();
                } else if (m.type === 'error') reject(new Error(JSON.stringify(m)));
              };
            }),
        ),
      );
    },
    { code, sources },
  );
}

afterAll(async () => {
  await browser?.close();
});

/** The table under the heading `section`, as rows of cell texts (header row first). */
async function tableOf(page: import('playwright-core').Page, section: RegExp): Promise<string[][]> {
  const table = page.locator('section.report-section', { has: page.locator('h2', { hasText: section }) }).locator('table').first();
  return table.locator('tr').evaluateAll((rows) => rows.map((r) => [...r.children].map((c) => (c.textContent ?? '').trim())));
}

describe('report page', () => {
  it('draws every chart with its table, per event and per talk; axe-core clean; prints to a PDF', async () => {
    const { context, foreignRequests } = await newContext(browser, DESKTOP, baseUrl);
    const page = await context.newPage();
    const requestUrls: string[] = [];
    page.on('request', (r) => requestUrls.push(r.url()));
    // The server's Content-Security-Policy (no inline script or style) holds: Chromium reports any refusal here.
    const consoleErrors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    // From the console: the event page links to the report in the same tab (session storage carries the sign-in).
    await page.goto(`${baseUrl}organiser.html?event=${eventId}#token=${token}`);
    await page.click('a.report-link');
    await page.waitForURL(/report\.html\?event=/);
    await waitForText(page, 'h1', /Bericht: Fachtag Berichtswesen/);
    await page.locator('.report-section canvas').first().waitFor();

    // Recorded statistics: nothing says "not recorded yet".
    expect(await page.locator('.report-body').textContent()).not.toMatch(/Noch nicht aufgezeichnet/);
    const interactions = await tableOf(page, /Interaktionen nach Art/);
    expect(interactions.slice(1).map((r) => [r[0], r[1]])).toEqual([
      ['Stimmen', '4'],
      ['Wortwolken-Einträge', '3'],
      ['Fragen', '1'],
      ['Unterstützungen für Fragen', '2'],
      ['Kommentare', '1'],
      ['Feedback', '1'],
      ['Reaktionen', '3'],
      ['Antworten auf offene Fragen', '0'],
      ['Summe', '15'],
    ]);
    const poll = await tableOf(page, /Abstimmungen/);
    expect(poll.slice(1)).toEqual([
      ['Ja', '3', '75\u00a0%'],
      ['Nein', '1', '25\u00a0%'],
      ['Weiß nicht', '0', '0\u00a0%'],
    ]);
    expect((await tableOf(page, /^Wortwolken$/)).slice(1)).toEqual([
      ['Transparenz', '2'],
      ['Lizenz', '1'],
    ]);
    expect((await tableOf(page, /Meistunterstützte Fragen/)).slice(1)).toEqual([['Welche Lizenz empfehlen Sie?', '2', 'nein']]);
    const participation = await tableOf(page, /Beteiligung je Vortrag/);
    expect(participation.slice(1).map((r) => [r[0], r[r.length - 1]])).toEqual([
      ['Begrüßung (Saal Nord)', '0'],
      ['Offene Daten (Saal Nord)', '15'],
    ]);
    // Every chart is drawn (pixels on the canvas) and has a table with a caption.
    const charts = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLCanvasElement>('.report-section canvas')].map((c) => {
        const ctx = c.getContext('2d')!;
        const pixels = ctx.getImageData(0, 0, c.width, c.height).data;
        let inked = 0;
        for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) inked++;
        const figure = c.closest('figure')!;
        return { width: c.width, inked, caption: figure.querySelector('table > caption')?.textContent ?? '', hidden: c.getAttribute('aria-hidden') };
      }),
    );
    // Viewers over time (Saal Süd at least), participation per talk, interactions, the poll.
    expect(charts.length).toBeGreaterThanOrEqual(4);
    for (const chart of charts) {
      expect(chart.width).toBeGreaterThan(100);
      expect(chart.inked).toBeGreaterThan(500);
      expect(chart.caption).not.toBe('');
      expect(chart.hidden).toBe('true');
    }
    await screenshot(page, 'report-desktop');
    const violations = await axeScan(page);
    if (violations.length) console.log(`axe report:\n${describeViolations(violations)}`);
    expect(describeViolations(seriousOrCritical(violations))).toBe('');

    // Per talk: the earlier talk had nothing, the running one everything.
    await page.selectOption('select[id^="report-scope"]', runningTalkId);
    await waitForText(page, '.report-scope-line', /Saal Nord: Offene Daten/);
    expect(new URL(page.url()).searchParams.get('talk')).toBe(runningTalkId);
    expect((await tableOf(page, /Interaktionen nach Art/)).at(-1)).toEqual(['Summe', '15', '100\u00a0%']);
    const earlierId = await page.locator('select[id^="report-scope"] option', { hasText: 'Begrüßung' }).getAttribute('value');
    await page.selectOption('select[id^="report-scope"]', earlierId!);
    await waitForText(page, '.report-scope-line', /Begrüßung/);
    expect((await tableOf(page, /Interaktionen nach Art/)).at(-1)).toEqual(['Summe', '0', '–']);
    await waitForText(page, '.report-body', /Keine Abstimmung in diesem Umfang/);
    await page.selectOption('select[id^="report-scope"]', '');

    // English follows the switch, charts included.
    await page.click('button.lang-switch');
    await waitForText(page, 'h1', /Report: Fachtag Berichtswesen/);
    await page.locator('.report-section canvas').first().waitFor();
    expect((await tableOf(page, /Interactions by kind/))[1]).toEqual(['Votes', '4', '27%']);
    await page.click('button.lang-switch');
    await waitForText(page, 'h1', /Bericht/);

    // Print: A4, no navigation chrome, a real PDF.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.site-header').isVisible()).toBe(false);
    expect(await page.locator('.report-downloads').isVisible()).toBe(false);
    expect(await page.locator('.report-section canvas').first().isVisible()).toBe(true);
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    expect(pdf.length).toBeGreaterThan(10_000);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await page.emulateMedia({ media: 'screen' });

    // The token arrived in the fragment, which no request carries; no address sent ever holds it.
    expect(requestUrls.filter((u) => u.includes(token) && !u.includes('#'))).toEqual([]);
    expect(foreignRequests).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('downloads JSON and semicolon CSV with the token in a header, not in the address', async () => {
    const { context } = await newContext(browser, { ...DESKTOP, acceptDownloads: true }, baseUrl);
    const page = await context.newPage();
    const exportRequests: Array<{ url: string; auth: string | undefined }> = [];
    page.on('request', (r) => {
      if (r.url().includes('/export')) exportRequests.push({ url: r.url(), auth: r.headers().authorization });
    });
    const response = await page.goto(`${baseUrl}report.html?event=${eventId}#token=${token}`);
    expect(response!.headers()['content-security-policy']).toContain("script-src 'self'; style-src 'self'");
    await waitForText(page, 'h1', /Bericht/);

    const [json] = await Promise.all([page.waitForEvent('download'), page.click('button[data-format="json"]')]);
    expect(json.suggestedFilename()).toBe(`plenum-${eventId}.json`);
    const doc = JSON.parse(await streamText(await json.createReadStream()));
    expect(doc.schema).toBe('plenum-export/1');
    expect(doc.polls).toHaveLength(3);
    await waitForText(page, '.download-status', /heruntergeladen/);

    const [csv] = await Promise.all([page.waitForEvent('download'), page.click('button[data-format="csv"][data-kind="polls"][data-separator="semicolon"]')]);
    expect(csv.suggestedFilename()).toBe(`plenum-${eventId}-polls.csv`);
    const text = await streamText(await csv.createReadStream());
    expect(text.split(/\r?\n/)[0]).toContain('eventId;event;stageId;stage;talkId;talk;pollId');
    expect(text).toContain('Weiß nicht');

    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.click('button[data-format="xlsx"]')]);
    expect(xlsx.suggestedFilename()).toBe(`plenum-${eventId}.xlsx`);
    const zip = await streamBytes(await xlsx.createReadStream());
    expect(zip.subarray(0, 2).toString('latin1')).toBe('PK');

    // One stage's data instead of the whole event's.
    const stageOption = await page.locator('select[id^="download-scope"] option', { hasText: 'Bühne Saal Nord' }).getAttribute('value');
    const stageId = stageOption!.replace(/^stage:/, '');
    await page.selectOption('select[id^="download-scope"]', stageOption!);
    const [stageJson] = await Promise.all([page.waitForEvent('download'), page.click('button[data-format="json"]')]);
    expect(stageJson.suggestedFilename()).toBe(`plenum-${stageId}.json`);
    expect(JSON.parse(await streamText(await stageJson.createReadStream())).stageId).toBe(stageId);

    // One talk: its own export route, only the rows attributed to it.
    await page.selectOption('select[id^="download-scope"]', `talk:${stageId}:${runningTalkId}`);
    const [talkJson] = await Promise.all([page.waitForEvent('download'), page.click('button[data-format="json"]')]);
    expect(talkJson.suggestedFilename()).toBe(`plenum-${stageId}-${runningTalkId}.json`);
    const talkDoc = JSON.parse(await streamText(await talkJson.createReadStream()));
    expect(talkDoc.polls.length).toBe(3);
    expect(new Set([...talkDoc.polls, ...talkDoc.posts, ...talkDoc.summary].map((r: { talkId: string }) => r.talkId))).toEqual(new Set([runningTalkId]));
    expect(talkDoc.summary.map((r: { scope: string }) => r.scope)).toEqual(['talk']);
    const [talkCsv] = await Promise.all([page.waitForEvent('download'), page.click('button[data-format="csv"][data-kind="summary"]:not([data-separator])')]);
    expect(talkCsv.suggestedFilename()).toBe(`plenum-${stageId}-${runningTalkId}-summary.csv`);
    expect((await streamText(await talkCsv.createReadStream())).split(/\r?\n/)[0]).toContain('scope,participants,peakViewers,peakAt,peakViewersHall,peakViewersStream,votes');
    // The interaction log (JSON Lines) of the talk: one line per accepted interaction, 15 in all.
    const [talkLog] = await Promise.all([page.waitForEvent('download'), page.click('button[data-format="jsonl"]')]);
    const lines = (await streamText(await talkLog.createReadStream())).split('\n').filter((l) => l.trim() !== '');
    expect(lines.map((l) => JSON.parse(l).talkId)).toEqual(Array(lines.length).fill(runningTalkId));
    expect(lines.length).toBe(15);

    for (const r of exportRequests) {
      expect(r.url).not.toContain(token);
      expect(r.auth).toBe(`Bearer ${token}`);
    }
    expect(exportRequests.map((r) => new URL(r.url).search)).toEqual(expect.arrayContaining(['?format=json', '?format=csv&kind=polls&separator=semicolon']));
    await context.close();
  });

  it('draws viewers over time with the peak and the hall/stream split from the recorded presence', async () => {
    const { context } = await newContext(browser, DESKTOP, baseUrl);
    const page = await context.newPage();
    await page.goto(`${baseUrl}report.html?event=${eventId}#token=${token}`);
    const south = page.locator('.report-section figure', { hasText: 'Saal Süd' }).first();
    await waitForText(page, '.peak-note', /Höchstwert: 3 um/);
    const viewers = await south.locator('table tr').evaluateAll((rows) => rows.map((r) => [...r.children].map((c) => (c.textContent ?? '').trim())));
    expect(viewers[0]).toEqual(['Uhrzeit', 'Gesamt', 'Saal (Saal-QR-Code)', 'Stream (Stream-Link)', 'Sonstige']);
    expect(viewers.slice(1).some((r) => r[1] === '3' && r[2] === '2' && r[3] === '1' && r[4] === '0')).toBe(true);
    // The summary in two tables (each fits the A4 width): the figures, then the totals by kind.
    const summaryTables = (p: import('playwright-core').Page) =>
      p.locator('section.report-section', { has: p.locator('h2', { hasText: /Zusammenfassung/ }) }).locator('table').evaluateAll((tables) => tables.map((t) => [...t.querySelectorAll('tr')].map((r) => [...r.children].map((c) => (c.textContent ?? '').trim()))));
    const [figures, kinds] = await summaryTables(page);
    expect(figures[0]).toEqual(['Bereich', 'Teilnehmende (verschieden)', 'Höchstzahl gleichzeitig', 'Höchstwert um', 'Davon im Saal (beim Höchstwert)', 'Davon im Stream (beim Höchstwert)']);
    expect(kinds[0]).toEqual(['Bereich', 'Stimmen', 'Wortwolken-Einträge', 'Fragen', 'Unterstützungen für Fragen', 'Kommentare', 'Feedback', 'Reaktionen', 'Antworten auf offene Fragen']);
    // Rows side by side, as one row of the export's summary table.
    const summary = figures.map((r, i) => [...r, ...kinds[i].slice(1)]);
    // The event view: each stage's row, then the event's; Saal Süd had viewers, no interactions.
    expect(summary.slice(1).map((r) => r[0])).toEqual(['Bühne Saal Nord (ganz)', 'Bühne Saal Süd (ganz)', 'Ganze Veranstaltung']);
    const southRow = summary.find((r) => r[0] === 'Bühne Saal Süd (ganz)')!;
    expect([southRow[1], southRow[2], southRow[4], southRow[5], ...southRow.slice(6)]).toEqual(['0', '3', '2', '1', '0', '0', '0', '0', '0', '0', '0', '0']);
    const northRow = summary.find((r) => r[0] === 'Bühne Saal Nord (ganz)')!;
    expect(northRow.slice(6)).toEqual(['4', '3', '1', '2', '1', '1', '3', '0']);
    expect(summary.at(-1)!.slice(6)).toEqual(['4', '3', '1', '2', '1', '1', '3', '0']);
    // Per talk: the running talk's own summary row.
    await page.selectOption('select[id^="report-scope"]', runningTalkId);
    await waitForText(page, '.report-scope-line', /Offene Daten/);
    const [talkFigures, talkKinds] = await summaryTables(page);
    const talkSummary = talkFigures.map((r, i) => [...r, ...talkKinds[i].slice(1)]);
    expect(talkSummary.slice(1).map((r) => [r[0], ...r.slice(6)])).toEqual([['Saal Nord: Offene Daten', '4', '3', '1', '2', '1', '1', '3', '0']]);
    await page.selectOption('select[id^="report-scope"]', '');
    await waitForText(page, '.report-scope-line', /Ganze Veranstaltung/);
    await screenshot(page, 'report-with-presence-desktop');
    expect(describeViolations(seriousOrCritical(await axeScan(page)))).toBe('');
    // The print layout at A4 width (210 mm at 96 dpi), as a picture to look at, then the PDF itself.
    await page.setViewportSize({ width: 794, height: 1123 });
    await page.emulateMedia({ media: 'print' });
    await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
    await screenshot(page, 'report-print-a4');
    // Nothing is cut off at the page's edge: no table or chart is wider than the A4 width.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(794);
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    writeFileSync(resolve(screenshotDir, 'report.pdf'), pdf);
    await context.close();
  });

  it('works on a phone and in English: nothing wider than the screen, axe-core clean', async () => {
    const { context } = await newContext(browser, { ...PHONE, locale: 'en-GB' }, baseUrl);
    const page = await context.newPage();
    await page.goto(`${baseUrl}report.html?event=${eventId}&lang=en#token=${token}`);
    await waitForText(page, 'h1', /Report: Fachtag Berichtswesen/);
    await page.locator('.report-section canvas').first().waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await screenshot(page, 'report-phone-en');
    const violations = await axeScan(page);
    if (violations.length) console.log(`axe report (phone):\n${describeViolations(violations)}`);
    expect(describeViolations(seriousOrCritical(violations))).toBe('');
    await context.close();
  });

  it('says what went wrong when the export is refused', async () => {
    const { context } = await newContext(browser, DESKTOP, baseUrl);
    const page = await context.newPage();
    await page.goto(`${baseUrl}report.html?event=no-such-event#token=${token}`);
    await waitForText(page, '.form-error', /Der Bericht konnte nicht geladen werden/);
    await context.close();
  });
});

async function streamBytes(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

async function streamText(stream: NodeJS.ReadableStream): Promise<string> {
  return (await streamBytes(stream)).toString('utf8');
}
