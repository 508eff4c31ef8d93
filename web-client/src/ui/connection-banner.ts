import type { PlenumConnection, StatusChange } from '../lib/connection';
import { onLanguageChange, type MessageKey } from '../lib/i18n';
import { h, setText } from './dom';

/**
 * Shows that the page is offline and that it reconnects by itself. Its live region stays in the
 * document all the time (so screen readers announce each change) and is only empty while all is
 * well; after a reconnect it says so briefly. The "retry now" button sits outside the live region.
 */
export class ConnectionBanner {
  readonly el: HTMLElement;
  private readonly live: HTMLElement;
  private readonly message: HTMLElement;
  private readonly detail: HTMLElement;
  private readonly retry: HTMLButtonElement;
  private wasOffline = false;
  private everOnline = false;
  private hideTimer?: ReturnType<typeof setTimeout>;
  private last: StatusChange | null = null;

  constructor(connection: PlenumConnection) {
    this.message = h('strong', { class: 'banner-message' });
    this.detail = h('span', { class: 'banner-detail' });
    this.live = h('div', { class: 'banner-texts', role: 'status' });
    this.retry = h('button', {
      type: 'button',
      class: 'button button-small banner-retry',
      hidden: true,
      i18n: 'connection.retryNow',
      on: { click: () => connection.reconnectNow() },
    });
    this.el = h('div', { class: 'connection-banner', 'data-state': 'ok' }, h('div', { class: 'wrap banner-row' }, this.live, this.retry));
    connection.on('status', (s) => {
      this.last = s;
      this.render(s, connection.pendingCount);
    });
    connection.on('pending', (count) => this.last && this.render(this.last, count));
    onLanguageChange(() => this.last && this.render(this.last, connection.pendingCount));
  }

  private render(change: StatusChange, pending: number): void {
    if (change.status === 'online') {
      this.everOnline = true;
      if (this.wasOffline) {
        this.wasOffline = false;
        this.show('back', 'connection.back', null, false);
        clearTimeout(this.hideTimer);
        this.hideTimer = setTimeout(() => this.hide(), 4000);
      }
      return;
    }
    // The browser says the device has no network: say so at once, whatever the socket still does.
    const deviceOffline = !change.networkUp && change.status !== 'closed';
    if (deviceOffline || change.status === 'offline' || (change.status === 'connecting' && this.wasOffline)) {
      clearTimeout(this.hideTimer);
      this.wasOffline = true;
      this.show(
        'offline',
        deviceOffline ? 'connection.deviceOffline' : this.everOnline ? 'connection.lost' : 'connection.unreachable',
        pending > 0 ? 'connection.pendingKept' : deviceOffline ? 'connection.waitingForNetwork' : 'connection.retrying',
        // "Reconnect now" is of no use while the device has no network.
        change.status === 'offline' && !deviceOffline,
      );
      return;
    }
    if (change.status === 'closed') this.hide();
  }

  private show(state: string, message: MessageKey, detail: MessageKey | null, retry: boolean): void {
    this.el.dataset.state = state;
    if (this.message.dataset.i18n !== message) setText(this.message, message);
    if (detail) {
      if (this.detail.dataset.i18n !== detail) setText(this.detail, detail);
    } else if (this.detail.textContent) {
      this.detail.textContent = '';
      delete this.detail.dataset.i18n;
    }
    if (!this.message.isConnected) this.live.append(this.message, ' ', this.detail);
    this.retry.hidden = !retry;
  }

  private hide(): void {
    this.el.dataset.state = 'ok';
    this.live.replaceChildren();
    delete this.message.dataset.i18n;
    delete this.detail.dataset.i18n;
    this.retry.hidden = true;
  }
}
