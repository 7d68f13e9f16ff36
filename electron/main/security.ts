import type { App, Event, HandlerDetails, Session, WebContents, WebFrameMain } from 'electron';
import { parseExternalUrl } from '../../shared/domain/external-url';
import { APP_ENTRY_URL, APP_ORIGIN } from './app-protocol';

// The security policy of the shell. The decisions are pure functions of their inputs (tested under
// Node against tables of hostile URLs); the wiring below takes Electron objects as parameters and
// imports only their types, so it can be exercised with fakes too.

const MAX_URL_LENGTH = 2048;

/** Parses `input` as a URL on the app's own origin (app://bundle), or null. */
function parseAppUrl(input: unknown): URL | null {
  if (typeof input !== 'string' || input.length > MAX_URL_LENGTH) return null;
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return null;
  }
  // `origin` of a custom scheme is "null" under Node's parser, so compare the parts instead.
  if (`${url.protocol}//${url.host}` !== APP_ORIGIN) return null;
  if (url.username || url.password || url.port) return null;
  return url;
}

/**
 * Whether the window may navigate to `url`. The renderer is a single page: the only navigation it
 * ever needs is a reload of its own entry page. Everything else (links, redirects, `location = …`)
 * is refused; http(s) links are opened in the system browser instead.
 */
export function isAllowedNavigation(url: unknown): boolean {
  const parsed = parseAppUrl(url);
  return parsed !== null && (parsed.pathname === '/index.html' || parsed.pathname === '/');
}

/**
 * The normalized http(s) URL to hand to the system browser, or null when the URL must not leave
 * the app (javascript:, file:, data:, custom schemes that launch other programs, credentials in the
 * URL, anything the URL parser refuses). Parsing is done by shared/domain/external-url.ts, the same
 * function the services use for `app.openExternal`.
 */
export function shouldOpenExternally(url: unknown): string | null {
  return parseExternalUrl(url);
}

/** What the IPC adapter knows about the frame that sent a message. */
export interface SenderFacts {
  /** The URL of the sending frame (`event.senderFrame.url`). */
  frameUrl: unknown;
  /** True when the sending frame is the top frame of its page. */
  isMainFrame: boolean;
  /** True when the message came from the webContents of the app's own window. */
  fromAppWindow: boolean;
}

/**
 * IPC is accepted only from the app's own main frame: the webContents of our window, its top frame
 * (never an iframe), showing our entry page. A frame from any other origin — even inside our
 * window — gets nothing.
 */
export function isTrustedSender(sender: SenderFacts | null): boolean {
  if (!sender || sender.fromAppWindow !== true || sender.isMainFrame !== true) return false;
  const url = parseAppUrl(sender.frameUrl);
  return url !== null && url.pathname === new URL(APP_ENTRY_URL).pathname;
}

/** Reads the facts off an IPC event's sender frame; a destroyed or navigated-away frame gives null. */
export function senderFacts(senderFrame: Pick<WebFrameMain, 'url' | 'parent'> | null, sender: Pick<WebContents, 'id'>, appWindowContentsId: number | null): SenderFacts | null {
  if (!senderFrame) return null;
  return {
    frameUrl: senderFrame.url,
    isMainFrame: senderFrame.parent === null,
    fromAppWindow: appWindowContentsId !== null && sender.id === appWindowContentsId,
  };
}

export type OpenExternal = (url: string) => void;

/**
 * Locks down one webContents (our window, and any other that ever gets created): no navigation
 * away from the app, no new windows (http(s) targets go to the system browser after parsing),
 * no <webview>.
 */
export function hardenWebContents(contents: Pick<WebContents, 'on' | 'setWindowOpenHandler'>, openExternal: OpenExternal): void {
  const refuseNavigation = (event: Event, url: string) => {
    if (isAllowedNavigation(url)) return;
    event.preventDefault();
    const external = shouldOpenExternally(url);
    if (external) openExternal(external);
  };
  contents.on('will-navigate', (event, url) => refuseNavigation(event, url));
  contents.on('will-frame-navigate', (event) => {
    // Subframes have no business navigating anywhere (the CSP allows no frames in the first place);
    // the main frame is handled by 'will-navigate' above.
    if (!event.isMainFrame) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAllowedNavigation(url)) event.preventDefault();
  });
  contents.setWindowOpenHandler((details: HandlerDetails) => {
    const external = shouldOpenExternally(details.url);
    if (external) openExternal(external);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** The app needs no browser permission (camera, notifications, clipboard-read, …): deny them all. */
export function denyAllPermissions(session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'>): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}

/** Applies `hardenWebContents` to every webContents the app ever creates, ours included. */
export function guardAllWebContents(app: Pick<App, 'on'>, openExternal: OpenExternal): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, openExternal));
}
