import { vi } from 'vitest';
import { FakeWebSocket } from './fake-websocket';

/**
 * Loads a real page entry (src/pages/*.ts) in happy-dom, as the browser would: its WebSocket is
 * the test's FakeWebSocket (the test plays the server), `fetch` answers the REST reads the page
 * makes from `rest` (path after /api/v1/ → JSON), everything else 404.
 */
export async function loadPage(entry: () => Promise<unknown>, rest: Record<string, unknown>): Promise<void> {
  FakeWebSocket.reset();
  vi.stubGlobal('WebSocket', FakeWebSocket);
  vi.stubGlobal('fetch', async (input: RequestInfo | URL) => {
    const url = new URL(String(input instanceof Request ? input.url : input), location.href);
    const path = url.pathname.replace(/^.*\/api\/v1\//, '');
    const body = rest[path];
    return body === undefined
      ? new Response(JSON.stringify({ error: 'not_found', message: 'no such thing' }), { status: 404, headers: { 'Content-Type': 'application/json' } })
      : new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } });
  });
  await entry();
  await settle();
}

/** Lets promises, fetch answers and zero timers run. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setTimeout(r, 0));
}

/** Opens the latest socket and answers each join on it with `joined(join)`. */
export async function serveJoins(joined: (join: Record<string, unknown>) => Record<string, unknown>): Promise<FakeWebSocket> {
  const ws = FakeWebSocket.latest();
  ws.open();
  await settle();
  for (const join of ws.sentOfType('join')) ws.receive(joined(join));
  await settle();
  return ws;
}
