/**
 * Organiser control reaching the open pages (issue 8, docs/protocol.md "removed", "A stage deleted
 * or reset"): the organiser deletes a poll over REST → it leaves an open viewer page and the
 * moderator dashboard; the stage is reset → the viewer page rejoins and shows the fresh, empty
 * stage; the stage is deleted → the viewer sees "Diese Bühne wurde gelöscht." and stays offline,
 * the projector says so, and the moderator dashboard reopens with the event's other stage.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { axeScan, describeViolations, DESKTOP, launchBrowser, newContext, PHONE, Rest, seriousOrCritical, waitForText } from './support';

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

describe('a stage changed by the organiser while pages are open', () => {
  it('deleted poll, reset stage and deleted stage reach viewer, moderator and projector', async () => {
    const event = await rest.createEvent('Lebenszyklus');
    const stage = await rest.createStage(event.id, 'Saal Eins');
    await rest.createStage(event.id, 'Saal Zwei');
    const doomed = await rest.createPoll(stage.id, { kind: 'single', question: 'Wird gelöscht?', options: ['Ja', 'Nein'], open: true });
    const kept = await rest.createPoll(stage.id, { kind: 'single', question: 'Bleibt?', options: ['Ja', 'Nein'], open: true });

    const phone = await newContext(browser, PHONE, baseUrl);
    const viewer = await phone.context.newPage();
    await viewer.goto(`${baseUrl}?code=${stage.code}`);
    await viewer.locator(`.poll-card[data-poll-id="${doomed.poll.id}"]`).waitFor();
    await viewer.locator(`.poll-card[data-poll-id="${kept.poll.id}"]`).waitFor();

    const desk = await newContext(browser, DESKTOP, baseUrl);
    const moderator = await desk.context.newPage();
    await moderator.goto(`${baseUrl}moderator.html?event=${event.id}&stage=${stage.id}#token=${encodeURIComponent(token)}`);
    await moderator.locator(`.moderator-poll[data-poll-id="${doomed.poll.id}"]`).waitFor();
    const projector = await desk.context.newPage();
    await projector.goto(`${baseUrl}projector.html?stage=${stage.id}`);
    await waitForText(projector, 'h1.projector-stage', /Saal Eins/);

    // A vote of the rehearsal, on the poll that stays.
    await viewer.locator(`.poll-card[data-poll-id="${kept.poll.id}"] label`, { hasText: 'Ja' }).click();
    await viewer.locator(`.poll-card[data-poll-id="${kept.poll.id}"] button[type=submit]`).click();
    await waitForText(viewer, `.poll-card[data-poll-id="${kept.poll.id}"] button[type=submit]`, /Stimme ändern/);
    expect((await rest.results(stage.id, kept.poll.id)).voters).toBe(1);

    // Delete a poll: it leaves the viewer page and the dashboard, the other stays.
    await rest.call('DELETE', `stages/${stage.id}/polls/${doomed.poll.id}`);
    await viewer.locator(`.poll-card[data-poll-id="${doomed.poll.id}"]`).waitFor({ state: 'detached' });
    await moderator.locator(`.moderator-poll[data-poll-id="${doomed.poll.id}"]`).waitFor({ state: 'detached' });
    expect(await viewer.locator(`.poll-card[data-poll-id="${kept.poll.id}"]`).count()).toBe(1);
    expect(await moderator.locator(`.moderator-poll[data-poll-id="${kept.poll.id}"]`).count()).toBe(1);

    // Reset: the viewer page rejoins and shows the fresh stage: no polls to vote on.
    await rest.call('POST', `stages/${stage.id}/reset`);
    await viewer.locator(`.poll-card[data-poll-id="${kept.poll.id}"]`).waitFor({ state: 'detached' });
    await waitForText(viewer, '#polls .empty-state', /.+/);
    expect(await viewer.locator('#polls .empty-state').isVisible()).toBe(true);
    expect((await rest.results(stage.id, kept.poll.id)).voters).toBe(0);
    // Opened again after the rehearsal, the poll is a fresh one for this viewer: no "you voted".
    await rest.command(stage.id, kept.poll.id, 'open');
    const again = viewer.locator(`.poll-card[data-poll-id="${kept.poll.id}"]`);
    await again.waitFor();
    await waitForText(viewer, `.poll-card[data-poll-id="${kept.poll.id}"] button[type=submit]`, /^Abstimmen$/);

    // Delete the stage: the viewer is told, and the page stays without a connection.
    await rest.call('DELETE', `stages/${stage.id}`);
    await waitForText(viewer, 'main h1', /Diese Bühne wurde gelöscht/);
    await waitForText(projector, 'h1.projector-stage', /Diese Bühne wurde gelöscht/);
    await waitForText(moderator, '.stage-deleted-notice', /Saal Eins.*gelöscht/);
    expect(await moderator.locator('.moderator-poll').count()).toBe(0);
    expect(describeViolations(seriousOrCritical(await axeScan(viewer)))).toBe('');
    expect(phone.foreignRequests).toEqual([]);
    expect(desk.foreignRequests).toEqual([]);
    await phone.context.close();
    await desk.context.close();
  });
});
