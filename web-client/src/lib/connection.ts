import { createActionIdFactory, randomString } from './action-ids';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff';
import { Emitter } from './emitter';
import {
  parseServerMessage,
  RETRYABLE_ERRORS,
  type AckMessage,
  type ClientAction,
  type ErrorMessage,
  type JoinedMessage,
  type JoinMessage,
  type JoinRequest,
  type PageMessage,
  type PostsRequest,
  type TalksMessage,
  type PollMessage,
  type CloudMessage,
  type PostMessage,
  type PresenceMessage,
  type PresentationMessage,
  type LeaderboardMessage,
  type ReactionsMessage,
  type RemovedMessage,
  type OrderMessage,
  type ResultsMessage,
  type ServerMessage,
  type StageMessage,
  type WordsMessage,
} from './protocol';

/** The part of the browser's WebSocket the connection uses; unit tests pass a fake. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

const OPEN = 1;
/** The server's close code for a socket that did not join a stage in time (docs/protocol.md). */
const JOIN_TIMEOUT = 4401;
/** The stage this socket joined (or its event) was deleted: do not reconnect to it (docs/protocol.md). */
export const STAGE_DELETED = 4404;
/** The stage was reset after a rehearsal: reconnect and join again at once for a fresh snapshot. */
export const STAGE_RESET = 4205;

export interface TokenStore {
  get(): string | null;
  set(token: string): void;
}

export interface ConnectionOptions {
  url: string;
  createSocket?: (url: string) => WebSocketLike;
  backoff?: BackoffOptions;
  random?: () => number;
  newActionId?: () => string;
  /** Where the participant token lives between page loads (viewer: localStorage). */
  tokenStore?: TokenStore;
  /** A socket that is not open and joined within this time is given up and retried. */
  connectTimeoutMs?: number;
  /** An action without answer for this long on an open socket means the socket is dead: reconnect. */
  ackTimeoutMs?: number;
}

/**
 * - `connecting`: opening a socket or (re)joining; actions wait.
 * - `online`: open and joined; actions go out at once.
 * - `offline`: the socket was lost; a reconnect is scheduled in `retryInMs`.
 * - `closed`: closed on purpose by `close()`.
 */
export type ConnectionStatus = 'idle' | 'connecting' | 'online' | 'offline' | 'closed';

export interface StatusChange {
  status: ConnectionStatus;
  /** Reconnect attempts since the connection was last online. */
  attempt: number;
  retryInMs?: number;
  closeCode?: number;
  /** The browser's own word on the network (`offline`/`online` events): `false` while it says there is none. */
  networkUp: boolean;
}

export interface ConnectionEvents extends Record<string, unknown> {
  status: StatusChange;
  joined: JoinedMessage;
  poll: PollMessage;
  results: ResultsMessage;
  presence: PresenceMessage;
  cloud: CloudMessage;
  words: WordsMessage;
  post: PostMessage;
  reactions: ReactionsMessage;
  stage: StageMessage;
  talks: TalksMessage;
  presentation: PresentationMessage;
  leaderboard: LeaderboardMessage;
  /** A poll or word cloud was deleted: drop it (an unknown id is ignored). */
  removed: RemovedMessage;
  /** The stage's polls and clouds were reordered. */
  order: OrderMessage;
  /**
   * A joined stage was deleted. A viewer's or presenter's connection is closed for good (status
   * `closed`, `closeCode` 4404); a moderator's reconnects for its other stages, and the deleted
   * one is named here once its rejoin is refused `unknown_stage`.
   */
  stageDeleted: { stageId: string | null };
  /** The server reset the connection's stages (close 4205): the next `joined` is a fresh snapshot. */
  stageReset: { stageIds: string[] };
  /** A page of older posts, fetched by the connection itself after each `joined` until none are left. */
  page: PageMessage;
  /** An action got a retryable error (e.g. `rate_limited`); it is resent by itself after `retryInMs`. */
  retry: { id: string; code: string; retryInMs: number };
  /** An `error` the connection could not attribute to a join or action it is waiting for. */
  error: ErrorMessage;
  /** Every message from the server, including types this client does not know yet. */
  message: ServerMessage;
  /** The number of actions waiting for their `ack` changed. */
  pending: number;
}

/** A final `error` answer to an action or join: resending it would not help. */
export class ActionError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly actionId: string | null,
  ) {
    super(message);
    this.name = 'ActionError';
  }
}

interface DesiredJoin {
  request: JoinRequest;
  waiters: Array<{ resolve: (m: JoinedMessage) => void; reject: (e: Error) => void }>;
  retries: number;
  retryTimer?: ReturnType<typeof setTimeout>;
}

interface PendingAction {
  message: ClientAction & { id: string };
  resolve: (ack: AckMessage) => void;
  reject: (e: Error) => void;
  /** The socket generation it was last sent on; -1 when it still has to be (re)sent. */
  sentOn: number;
  retries: number;
  retryTimer?: ReturnType<typeof setTimeout>;
  ackTimer?: ReturnType<typeof setTimeout>;
}

/**
 * One WebSocket session with a Plenum server, kept alive across network trouble:
 * reconnects with exponential backoff and jitter, joins its stages again with the stored
 * participant token, and only then resends every action still waiting for its `ack`, with its
 * original action id — so the server counts it exactly once (docs/protocol.md, "Client checklist").
 */
export class PlenumConnection {
  private readonly events = new Emitter<ConnectionEvents>();
  private readonly createSocket: (url: string) => WebSocketLike;
  private readonly backoff: BackoffOptions;
  private readonly random: () => number;
  private readonly newActionId: () => string;
  private readonly newJoinId: () => string;
  private readonly connectTimeoutMs: number;
  private readonly ackTimeoutMs: number;

  private socket: WebSocketLike | null = null;
  private generation = 0;
  private attempt = 0;
  private ready = false;
  private wanted = false;
  private currentStatus: ConnectionStatus = 'idle';
  private reconnectTimer?: ReturnType<typeof setTimeout>;
  private connectTimer?: ReturnType<typeof setTimeout>;
  private token: string | null;

  private readonly joins: DesiredJoin[] = [];
  private readonly inflightJoins = new Map<string, DesiredJoin>();
  /** Pages of older posts asked for on this socket, by request id. */
  private readonly pageRequests = new Map<string, PostsRequest>();
  /** Insertion-ordered: resends keep the order in which the person acted. */
  private readonly pending = new Map<string, PendingAction>();
  /** Closed by the server for not joining, with nothing to join: the next join() or send() reopens. */
  private parked = false;
  /** What the browser last said about the network (`navigator.onLine`, `offline`/`online` events). */
  private networkUp = true;

  constructor(private readonly options: ConnectionOptions) {
    this.createSocket = options.createSocket ?? ((url) => new WebSocket(url) as unknown as WebSocketLike);
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.random = options.random ?? Math.random;
    this.newActionId = options.newActionId ?? createActionIdFactory();
    this.newJoinId = createActionIdFactory(`j${randomString(8)}`);
    this.connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
    this.ackTimeoutMs = options.ackTimeoutMs ?? 15_000;
    this.token = options.tokenStore?.get() ?? null;
  }

  get status(): ConnectionStatus {
    return this.currentStatus;
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  get participantToken(): string | null {
    return this.token;
  }

  on<K extends keyof ConnectionEvents>(event: K, listener: (payload: ConnectionEvents[K]) => void): () => void {
    return this.events.on(event, listener);
  }

  connect(): void {
    if (this.wanted) return;
    this.wanted = true;
    this.openSocket();
  }

  /** Closes for good; actions still waiting stay unanswered. */
  close(): void {
    this.wanted = false;
    this.parked = false;
    clearTimeout(this.reconnectTimer);
    clearTimeout(this.connectTimer);
    const socket = this.socket;
    this.detach();
    socket?.close(1000, 'bye');
    this.setStatus({ status: 'closed', attempt: this.attempt });
  }

  get network(): boolean {
    return this.networkUp;
  }

  /**
   * The browser's `offline` / `online` events. Offline: a socket that looks open is dead (or soon
   * will be) and would only be noticed by the ack timeout, so it is dropped at once and the page
   * shows the offline state now; actions keep waiting. Reconnect attempts go on with backoff (the
   * browser may be wrong). Online: the next attempt starts at once, with a fresh backoff.
   */
  setNetwork(up: boolean): void {
    if (up === this.networkUp) return;
    this.networkUp = up;
    if (!up) {
      if (this.socket) this.dropSocket(4000, 'browser offline');
      else this.setStatus({ status: this.currentStatus, attempt: this.attempt });
      return;
    }
    this.attempt = 0;
    if (this.socket || !this.wanted || this.parked) this.setStatus({ status: this.currentStatus, attempt: this.attempt });
    else this.reconnectNow();
  }

  /** Skips the remaining backoff wait (the browser says it is online again, or the tab came back). */
  reconnectNow(): void {
    if (!this.wanted || this.socket) return;
    clearTimeout(this.reconnectTimer);
    this.openSocket();
  }

  /**
   * Joins a stage and keeps it joined across reconnects. A viewer or presenter is on one stage at
   * a time, so their join replaces the earlier one; a moderator's joins add up.
   */
  join(request: JoinRequest): Promise<JoinedMessage> {
    const exclusive = (request.role ?? 'viewer') !== 'moderator';
    if (exclusive) {
      for (const old of this.joins.splice(0)) clearTimeout(old.retryTimer);
    }
    const entry: DesiredJoin = { request: { ...request }, waiters: [], retries: 0 };
    const promise = new Promise<JoinedMessage>((resolve, reject) => entry.waiters.push({ resolve, reject }));
    this.joins.push(entry);
    if (this.socket && this.socket.readyState === OPEN) this.sendJoin(entry);
    this.unpark();
    return promise;
  }

  /**
   * Sends an action and resolves with its `ack`. While the connection is down the action waits;
   * it is resent with the same id after every reconnect until the server answers it. Rejects with
   * an {@link ActionError} on a final error.
   */
  send(action: ClientAction): { id: string; result: Promise<AckMessage> } {
    const id = this.newActionId();
    let resolve!: (ack: AckMessage) => void;
    let reject!: (e: Error) => void;
    const result = new Promise<AckMessage>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    this.pending.set(id, { message: { ...action, id }, resolve, reject, sentOn: -1, retries: 0 });
    this.events.emit('pending', this.pending.size);
    if (this.ready) this.transmit(this.pending.get(id)!);
    this.unpark();
    return { id, result };
  }

  // ---- socket lifecycle ----

  private openSocket(): void {
    this.setStatus({ status: 'connecting', attempt: this.attempt });
    let socket: WebSocketLike;
    try {
      socket = this.createSocket(this.options.url);
    } catch {
      this.scheduleReconnect(undefined);
      return;
    }
    this.socket = socket;
    this.generation++;
    socket.onopen = () => {
      if (socket === this.socket) this.onOpen();
    };
    socket.onmessage = (ev) => {
      if (socket === this.socket) this.onMessage(ev.data);
    };
    socket.onclose = (ev) => {
      if (socket === this.socket) this.onSocketLost(ev.code);
    };
    socket.onerror = () => {
      /* always followed by close */
    };
    clearTimeout(this.connectTimer);
    this.connectTimer = setTimeout(() => {
      if (socket === this.socket && !this.ready) this.dropSocket(4000, 'connect timeout');
    }, this.connectTimeoutMs);
  }

  private onOpen(): void {
    if (this.joins.length === 0) {
      this.becomeReady();
      return;
    }
    for (const entry of this.joins) this.sendJoin(entry);
  }

  private sendJoin(entry: DesiredJoin): void {
    const id = this.newJoinId();
    const message: JoinMessage = { type: 'join', id, ...entry.request };
    if (this.token) message.token = this.token;
    this.inflightJoins.set(id, entry);
    this.write(message);
  }

  private becomeReady(): void {
    if (this.ready) return;
    this.ready = true;
    this.attempt = 0;
    clearTimeout(this.connectTimer);
    this.setStatus({ status: 'online', attempt: 0 });
    for (const action of this.pending.values()) {
      if (action.sentOn !== this.generation && action.retryTimer === undefined) this.transmit(action);
    }
  }

  /** Closes the current socket ourselves (timeouts) and treats it as lost. */
  private dropSocket(code: number, reason: string): void {
    const socket = this.socket;
    this.onSocketLost(code);
    try {
      socket?.close(code, reason);
    } catch {
      /* already closing */
    }
  }

  private onSocketLost(code: number | undefined): void {
    this.detach();
    if (!this.wanted) return;
    if (code === STAGE_DELETED) {
      this.onStageDeleted();
      return;
    }
    if (code === STAGE_RESET) {
      // Not trouble: the server asks for a fresh snapshot, so join again now, without backoff.
      this.events.emit('stageReset', { stageIds: this.joins.flatMap((j) => (j.request.stageId ? [j.request.stageId] : [])) });
      this.attempt = 0;
      clearTimeout(this.reconnectTimer);
      this.openSocket();
      return;
    }
    if (code === JOIN_TIMEOUT && this.joins.length === 0 && this.pending.size === 0) {
      // Nothing to join (say, a wrong join code): reconnecting would only be closed again.
      this.parked = true;
      this.setStatus({ status: 'idle', attempt: this.attempt, closeCode: code });
      return;
    }
    this.scheduleReconnect(code);
  }

  /**
   * A viewer or presenter is on one stage: it is gone, so the connection closes for good (a
   * rejoin would only be refused). A moderator's socket carried all the event's stages: it
   * reconnects at once, and the deleted stage's rejoin, refused `unknown_stage`, names it.
   */
  private onStageDeleted(): void {
    const moderator = this.joins.some((j) => j.request.role === 'moderator');
    if (!moderator) {
      const stageId = this.joins[0]?.request.stageId ?? null;
      this.wanted = false;
      clearTimeout(this.reconnectTimer);
      for (const old of this.joins.splice(0)) clearTimeout(old.retryTimer);
      this.setStatus({ status: 'closed', attempt: this.attempt, closeCode: STAGE_DELETED });
      this.events.emit('stageDeleted', { stageId });
      return;
    }
    this.attempt = 0;
    clearTimeout(this.reconnectTimer);
    this.openSocket();
  }

  private unpark(): void {
    if (!this.parked || !this.wanted) return;
    this.parked = false;
    this.openSocket();
  }

  private detach(): void {
    if (this.socket) {
      this.socket.onopen = this.socket.onmessage = this.socket.onclose = this.socket.onerror = null;
    }
    this.socket = null;
    this.ready = false;
    clearTimeout(this.connectTimer);
    this.inflightJoins.clear();
    this.pageRequests.clear(); // the rejoin's snapshot starts the pages again
    for (const entry of this.joins) {
      clearTimeout(entry.retryTimer);
      entry.retryTimer = undefined;
    }
    for (const action of this.pending.values()) {
      // Whatever was in flight is resent on the next socket, with its original id.
      action.sentOn = -1;
      clearTimeout(action.retryTimer);
      clearTimeout(action.ackTimer);
      action.retryTimer = action.ackTimer = undefined;
    }
  }

  private scheduleReconnect(code: number | undefined): void {
    const delay = backoffDelay(this.attempt, this.backoff, this.random);
    this.attempt++;
    this.setStatus({ status: 'offline', attempt: this.attempt, retryInMs: delay, closeCode: code });
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => this.openSocket(), delay);
  }

  // ---- messages ----

  private onMessage(data: unknown): void {
    const message = parseServerMessage(data);
    if (!message) return;
    switch (message.type) {
      case 'joined':
        this.onJoined(message);
        break;
      case 'ack':
        this.onAck(message);
        break;
      case 'standing':
        // the reply to a `standing` action settles it like an ack (the page reads its fields)
        this.onAck(message as unknown as AckMessage);
        break;
      case 'error':
        this.onError(message);
        break;
      case 'results':
        this.events.emit('results', message);
        break;
      case 'poll':
        this.events.emit('poll', message);
        break;
      case 'presence':
        this.events.emit('presence', message);
        break;
      case 'cloud':
        this.events.emit('cloud', message);
        break;
      case 'words':
        this.events.emit('words', message);
        break;
      case 'post':
        this.events.emit('post', message);
        break;
      case 'reactions':
        this.events.emit('reactions', message);
        break;
      case 'stage':
        this.events.emit('stage', message);
        break;
      case 'talks':
        this.events.emit('talks', message);
        break;
      case 'presentation':
        this.events.emit('presentation', message);
        break;
      case 'leaderboard':
        this.events.emit('leaderboard', message);
        break;
      case 'removed':
        this.events.emit('removed', message);
        break;
      case 'order':
        this.events.emit('order', message);
        break;
      case 'page':
        this.onPage(message);
        break;
      default:
        break;
    }
    this.events.emit('message', message);
  }

  private onJoined(message: JoinedMessage): void {
    const entry = this.inflightJoins.get(message.id);
    if (!entry) return;
    this.inflightJoins.delete(message.id);
    entry.retries = 0;
    // Rejoin by id from now on: the stage's id never changes.
    entry.request = { ...entry.request, stageId: message.stage.id };
    delete entry.request.code;
    const token = message.participant?.token;
    if (token) {
      this.token = token;
      this.options.tokenStore?.set(token);
    }
    for (const waiter of entry.waiters.splice(0)) waiter.resolve(message);
    this.events.emit('joined', message);
    if (this.inflightJoins.size === 0) this.becomeReady();
    this.requestPage(message.stage.id, message.postsCursor);
  }

  /**
   * The snapshot holds only the newest posts; older ones are fetched one page at a time, each
   * asked for when the previous one has arrived, so the server sends them at the client's pace.
   */
  private requestPage(stageId: string, before: string | null | undefined): void {
    if (!before) return;
    const id = this.newActionId();
    const request: PostsRequest = { type: 'posts', id, stageId, before };
    this.pageRequests.set(id, request);
    this.write(request);
  }

  private onPage(message: PageMessage): void {
    if (!this.pageRequests.delete(message.id)) return;
    this.events.emit('page', message);
    this.requestPage(message.stageId, message.postsCursor);
  }

  private onAck(message: AckMessage): void {
    const action = this.pending.get(message.id);
    if (!action) return;
    this.settle(message.id, action);
    action.resolve(message);
  }

  private onError(message: ErrorMessage): void {
    const id = message.id;
    const join = id ? this.inflightJoins.get(id) : undefined;
    if (id && join) {
      this.inflightJoins.delete(id);
      if (RETRYABLE_ERRORS.has(message.code)) {
        join.retryTimer = setTimeout(() => {
          join.retryTimer = undefined;
          if (this.socket?.readyState === OPEN) this.sendJoin(join);
        }, this.retryDelay(message, join.retries++));
        return;
      }
      const index = this.joins.indexOf(join);
      if (index >= 0) this.joins.splice(index, 1);
      const waiters = join.waiters.splice(0);
      const error = new ActionError(message.code, message.message, id);
      for (const waiter of waiters) waiter.reject(error);
      // A rejoin after a reconnect has nobody waiting on it: tell the page.
      if (waiters.length === 0) {
        if (message.code === 'unknown_stage') this.events.emit('stageDeleted', { stageId: join.request.stageId ?? null });
        else this.events.emit('error', message);
      }
      if (this.inflightJoins.size === 0) this.becomeReady();
      return;
    }
    const page = id ? this.pageRequests.get(id) : undefined;
    if (id && page) {
      this.pageRequests.delete(id);
      if (RETRYABLE_ERRORS.has(message.code)) {
        const generation = this.generation;
        setTimeout(() => {
          if (this.generation === generation) this.requestPage(page.stageId, page.before);
        }, this.retryDelay(message, 0));
      }
      return;
    }
    const action = id ? this.pending.get(id) : undefined;
    if (id && action) {
      if (RETRYABLE_ERRORS.has(message.code)) {
        clearTimeout(action.ackTimer);
        action.sentOn = -1;
        const delay = this.retryDelay(message, action.retries++);
        action.retryTimer = setTimeout(() => {
          action.retryTimer = undefined;
          if (this.ready && this.pending.has(id)) this.transmit(action);
        }, delay);
        this.events.emit('retry', { id, code: message.code, retryInMs: delay });
        return;
      }
      this.settle(id, action);
      action.reject(new ActionError(message.code, message.message, id));
      return;
    }
    this.events.emit('error', message);
  }

  private retryDelay(message: ErrorMessage, retries: number): number {
    if (typeof message.retryAfterMs === 'number' && message.retryAfterMs >= 0) return message.retryAfterMs;
    return backoffDelay(retries, this.backoff, this.random);
  }

  private settle(id: string, action: PendingAction): void {
    clearTimeout(action.retryTimer);
    clearTimeout(action.ackTimer);
    this.pending.delete(id);
    this.events.emit('pending', this.pending.size);
  }

  private transmit(action: PendingAction): void {
    if (!this.write(action.message)) return;
    action.sentOn = this.generation;
    clearTimeout(action.ackTimer);
    const generation = this.generation;
    action.ackTimer = setTimeout(() => {
      // No answer on a socket that looks open: it is probably dead (a phone changed networks).
      if (this.generation === generation && this.pending.has(action.message.id)) {
        this.dropSocket(4000, 'ack timeout');
      }
    }, this.ackTimeoutMs);
  }

  private write(message: object): boolean {
    const socket = this.socket;
    if (!socket || socket.readyState !== OPEN) return false;
    try {
      socket.send(JSON.stringify(message));
      return true;
    } catch {
      return false;
    }
  }

  private setStatus(change: Omit<StatusChange, 'networkUp'>): void {
    this.currentStatus = change.status;
    this.events.emit('status', { ...change, networkUp: this.networkUp });
  }
}

/** `ws://host/ws` next to the page, so the client also works behind a proxy under a sub-path. */
export function webSocketUrl(location: { href: string }): string {
  const url = new URL('ws', location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.search = '';
  url.hash = '';
  return url.toString();
}

/** The part of `window` that says whether the device has a network. */
export interface NetworkSource {
  readonly navigator: { readonly onLine: boolean };
  addEventListener(type: 'online' | 'offline', listener: () => void): void;
}

/**
 * Lets the connection follow the browser's `offline` / `online` events, so the page shows the
 * offline state as soon as the device loses its network (not only when the ack timeout or the
 * next failed reconnect finds out) and reconnects at once when it is back.
 */
export function followBrowserNetwork(connection: Pick<PlenumConnection, 'setNetwork'>, source: NetworkSource = window): void {
  if (source.navigator.onLine === false) connection.setNetwork(false);
  source.addEventListener('offline', () => connection.setNetwork(false));
  source.addEventListener('online', () => connection.setNetwork(true));
}
