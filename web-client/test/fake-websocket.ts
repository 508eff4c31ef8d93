import type { WebSocketLike } from '../src/lib/connection';

/** A WebSocket stand-in for unit tests: the test plays the server. */
export class FakeWebSocket implements WebSocketLike {
  static instances: FakeWebSocket[] = [];
  readyState = 0;
  readonly sent: Array<Record<string, unknown>> = [];
  onopen: ((ev: unknown) => void) | null = null;
  onclose: ((ev: { code: number; reason: string }) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  closedWith: { code?: number; reason?: string } | null = null;

  constructor(readonly url: string) {
    FakeWebSocket.instances.push(this);
  }

  static reset(): void {
    FakeWebSocket.instances = [];
  }

  static latest(): FakeWebSocket {
    const ws = FakeWebSocket.instances.at(-1);
    if (!ws) throw new Error('no socket was created');
    return ws;
  }

  send(data: string): void {
    if (this.readyState !== 1) throw new Error('InvalidStateError: socket not open');
    this.sent.push(JSON.parse(data));
  }

  close(code?: number, reason?: string): void {
    this.closedWith = { code, reason };
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.onclose?.({ code: code ?? 1005, reason: reason ?? '' });
  }

  // ---- what the server side does ----

  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }

  receive(message: object): void {
    this.onmessage?.({ data: JSON.stringify(message) });
  }

  /** The network drops: the browser reports an abnormal close. */
  drop(code = 1006): void {
    this.readyState = 3;
    this.onclose?.({ code, reason: '' });
  }

  sentOfType(type: string): Array<Record<string, unknown>> {
    return this.sent.filter((m) => m.type === type);
  }

  lastSent(): Record<string, unknown> {
    const m = this.sent.at(-1);
    if (!m) throw new Error('nothing sent');
    return m;
  }
}

export function joinedFor(join: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {
    type: 'joined',
    id: join.id,
    role: join.role ?? 'viewer',
    participant: { id: 'p1', token: 'v1.p1.sig', renewed: join.token === undefined },
    stage: { id: 'st1', eventId: 'ev1', name: 'Hauptbühne', code: 'K7M2QX' },
    polls: [],
    ...extra,
  };
}
