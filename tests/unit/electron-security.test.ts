import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_ENTRY_URL, RENDERER_CSP, resolveAppAsset } from '../../electron/main/app-protocol';
import { MAX_COPY_BYTES, validateCopyText } from '../../electron/main/ipc-channels';
import { buildMenuTemplate } from '../../electron/main/menu';
import { denyAllPermissions, guardAllWebContents, hardenWebContents, isAllowedNavigation, isTrustedSender, senderFacts, shouldOpenExternally } from '../../electron/main/security';
import { RENDERER_META_CSP } from '../../shared/domain/renderer-csp';

// The shell's security decisions are pure functions: tables of hostile inputs, in the style of
// Actual Budget's external-links.test.ts. The wiring is exercised with fake webContents/sessions.

const LONG = 'https://example.com/' + 'a'.repeat(3000);

describe('shouldOpenExternally: only http(s), parsed, without credentials', () => {
  it.each([
    ['https://stripe.com/docs', 'https://stripe.com/docs'],
    ['http://example.com', 'http://example.com/'],
    ['HTTPS://DASHBOARD.STRIPE.COM/test/customers', 'https://dashboard.stripe.com/test/customers'],
    ['https://example.com/a b', 'https://example.com/a%20b'],
    // Homographs are not refused, but they leave as punycode, so the browser shows the real host.
    ['https://\u0435xample.com/', 'https://xn--xample-2of.com/'],
    // Leading/trailing control whitespace is stripped by the URL parser, the scheme still decides.
    ['\thttps://example.com', 'https://example.com/'],
    ['https://evil.com#@good.com', 'https://evil.com/#@good.com'],
  ])('%j → %j', (input, expected) => {
    expect(shouldOpenExternally(input)).toBe(expected);
  });

  it.each([
    ['javascript:alert(1)'],
    ['JaVaScRiPt:alert(1)'],
    ['\u0000javascript:alert(1)'],
    ['java\tscript:alert(1)'],
    ['\uff4a\uff41\uff56\uff41\uff53\uff43\uff52\uff49\uff50\uff54:alert(1)'], // fullwidth "javascript"
    ['file:///etc/passwd'],
    ['file://C:/Windows/System32/calc.exe'],
    ['data:text/html,<script>alert(1)</script>'],
    ['blob:https://example.com/uuid'],
    ['vbscript:msgbox(1)'],
    ['smb://attacker/share'],
    ['ms-msdt:/id PCWDiagnostic'],
    ['search-ms:query=x'],
    ['mailto:someone@example.com'],
    ['ftp://example.com/file'],
    ['ws://example.com'],
    ['chrome://settings'],
    ['devtools://devtools/bundled/inspector.html'],
    ['app://bundle/index.html'],
    ['http://user:pass@example.com'],
    ['https://user@example.com'],
    ['https://:secret@example.com'],
    ['//evil.com'],
    ['/relative/path'],
    ['evil.com'],
    ['https://'],
    ['http://exa\u2024mple.com'], // one-dot leader: not a valid host
    ['http://example.com:99999'],
    [''],
    ['   '],
    [LONG],
    [null],
    [undefined],
    [42],
    [{ toString: () => 'https://example.com' }],
    [['https://example.com']],
  ])('%j → refused', (input) => {
    expect(shouldOpenExternally(input)).toBeNull();
  });
});

describe('isAllowedNavigation: only a reload of the app itself', () => {
  it.each([APP_ENTRY_URL, 'app://bundle/', 'app://bundle/index.html?x=1#y', 'app://bundle/x/../index.html', 'APP://bundle/index.html'])('%j → allowed', (url) => {
    expect(isAllowedNavigation(url)).toBe(true);
  });

  it.each([
    'app://bundle/assets/index.js',
    'app://bundle.evil/index.html',
    'app://BUNDLE.evil/index.html',
    'app://bundle:8080/index.html',
    'app://user:pass@bundle/index.html',
    'app:/bundle/index.html',
    'app:bundle/index.html',
    'https://bundle/index.html',
    'https://stripe.com',
    'http://127.0.0.1:5173/',
    'file:///work/main/dist/renderer/index.html',
    'javascript:alert(1)',
    'data:text/html,hi',
    'about:blank',
    'devtools://devtools/bundled/inspector.html',
    'chrome-extension://abc/index.html',
    '//evil.com',
    '',
    'app://bundle/' + 'a'.repeat(3000),
  ])('%j → refused', (url) => {
    expect(isAllowedNavigation(url)).toBe(false);
  });

  it.each([null, undefined, 1, {}, []])('non-string %j → refused', (url) => {
    expect(isAllowedNavigation(url)).toBe(false);
  });
});

describe('isTrustedSender: only our window, its top frame, our entry page', () => {
  const ours = { frameUrl: APP_ENTRY_URL, isMainFrame: true, fromAppWindow: true };
  it('accepts the app main frame (also with query or hash)', () => {
    expect(isTrustedSender(ours)).toBe(true);
    expect(isTrustedSender({ ...ours, frameUrl: `${APP_ENTRY_URL}?view=dunning#x` })).toBe(true);
  });

  it.each([
    ['a subframe of our window', { ...ours, isMainFrame: false }],
    ['another webContents showing our page', { ...ours, fromAppWindow: false }],
    ['a frame from another origin', { ...ours, frameUrl: 'https://evil.com/index.html' }],
    ['a look-alike custom origin', { ...ours, frameUrl: 'app://bundle.evil/index.html' }],
    ['our origin, another page', { ...ours, frameUrl: 'app://bundle/assets/x.html' }],
    ['file:// page', { ...ours, frameUrl: 'file:///work/main/dist/renderer/index.html' }],
    ['devtools', { ...ours, frameUrl: 'devtools://devtools/bundled/inspector.html' }],
    ['about:blank (a fresh or navigated frame)', { ...ours, frameUrl: 'about:blank' }],
    ['data: URL', { ...ours, frameUrl: 'data:text/html,x' }],
    ['empty URL', { ...ours, frameUrl: '' }],
    ['non-string URL', { ...ours, frameUrl: 7 }],
    ['truthy non-boolean flags', { frameUrl: APP_ENTRY_URL, isMainFrame: 1 as unknown as boolean, fromAppWindow: 'yes' as unknown as boolean }],
    ['no frame (destroyed)', null],
  ])('refuses %s', (_label, facts) => {
    expect(isTrustedSender(facts)).toBe(false);
  });

  it('senderFacts reads the frame: top frame has no parent, webContents id must be the window’s', () => {
    const top = { url: APP_ENTRY_URL, parent: null };
    expect(senderFacts(top as never, { id: 3 }, 3)).toEqual({ frameUrl: APP_ENTRY_URL, isMainFrame: true, fromAppWindow: true });
    expect(isTrustedSender(senderFacts({ url: APP_ENTRY_URL, parent: top } as never, { id: 3 }, 3))).toBe(false);
    expect(isTrustedSender(senderFacts(top as never, { id: 4 }, 3))).toBe(false);
    expect(isTrustedSender(senderFacts(top as never, { id: 3 }, null))).toBe(false);
    expect(senderFacts(null, { id: 3 }, 3)).toBeNull();
  });
});

/** A webContents stand-in: a real EventEmitter plus setWindowOpenHandler. */
class FakeContents extends EventEmitter {
  openHandler: ((d: { url: string }) => { action: string }) | null = null;
  setWindowOpenHandler(h: (d: { url: string }) => { action: string }) {
    this.openHandler = h;
  }
  fire(event: string, ...args: unknown[]): boolean {
    let prevented = false;
    const ev = { preventDefault: () => (prevented = true), ...(typeof args[0] === 'object' ? (args[0] as object) : {}) };
    this.emit(event, ev, ...args);
    return prevented;
  }
}

describe('hardenWebContents wiring', () => {
  const setup = () => {
    const contents = new FakeContents();
    const opened: string[] = [];
    hardenWebContents(contents as never, (url) => opened.push(url));
    return { contents, opened };
  };

  it('prevents navigation away from the app and sends http(s) targets to the browser', () => {
    const { contents, opened } = setup();
    expect(contents.fire('will-navigate', 'https://evil.com/phish')).toBe(true);
    expect(contents.fire('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(contents.fire('will-navigate', 'javascript:alert(1)')).toBe(true);
    expect(contents.fire('will-navigate', APP_ENTRY_URL)).toBe(false);
    expect(opened).toEqual(['https://evil.com/phish']);
  });

  it('prevents redirects away from the app without opening anything', () => {
    const { contents, opened } = setup();
    expect(contents.fire('will-redirect', 'https://evil.com')).toBe(true);
    expect(contents.fire('will-redirect', APP_ENTRY_URL)).toBe(false);
    expect(opened).toEqual([]);
  });

  it('prevents every subframe navigation', () => {
    const { contents } = setup();
    const prevented = (detail: object) => {
      let p = false;
      contents.emit('will-frame-navigate', { preventDefault: () => (p = true), ...detail });
      return p;
    };
    expect(prevented({ url: APP_ENTRY_URL, isMainFrame: false })).toBe(true);
    expect(prevented({ url: 'https://evil.com', isMainFrame: false })).toBe(true);
    expect(prevented({ url: APP_ENTRY_URL, isMainFrame: true })).toBe(false);
  });

  it('denies every new window; opens only parsed http(s) URLs externally', () => {
    const { contents, opened } = setup();
    for (const url of ['https://stripe.com/docs', 'javascript:alert(1)', 'file:///etc/passwd', 'http://u:p@evil.com', 'about:blank', 'smb://x/y']) {
      expect(contents.openHandler!({ url })).toEqual({ action: 'deny' });
    }
    expect(opened).toEqual(['https://stripe.com/docs']);
  });

  it('refuses to attach a <webview>', () => {
    const { contents } = setup();
    expect(contents.fire('will-attach-webview', {}, {})).toBe(true);
  });

  it('guards every webContents the app creates', () => {
    const app = new EventEmitter();
    const opened: string[] = [];
    guardAllWebContents(app as never, (url) => opened.push(url));
    const late = new FakeContents();
    app.emit('web-contents-created', {}, late);
    expect(late.fire('will-navigate', 'https://evil.com')).toBe(true);
    expect(late.openHandler!({ url: 'https://example.com' })).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://evil.com/', 'https://example.com/']);
  });
});

describe('denyAllPermissions', () => {
  it('answers every permission request and check with no', () => {
    const handlers: Record<string, (...a: unknown[]) => unknown> = {};
    denyAllPermissions({
      setPermissionRequestHandler: (h: never) => (handlers.request = h),
      setPermissionCheckHandler: (h: never) => (handlers.check = h),
      setDevicePermissionHandler: (h: never) => (handlers.device = h),
    } as never);
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen', 'unknown']) {
      const answers: boolean[] = [];
      handlers.request!({}, permission, (granted: boolean) => answers.push(granted), {});
      expect(answers).toEqual([false]);
      expect(handlers.check!({}, permission, 'app://bundle', {})).toBe(false);
    }
    expect(handlers.device!({ deviceType: 'usb' })).toBe(false);
  });
});

describe('app:// protocol: serves dist/renderer and nothing else', () => {
  const root = path.resolve('/srv/app/dist/renderer');
  it.each([
    ['app://bundle/index.html', 'index.html'],
    ['app://bundle/', 'index.html'],
    ['app://bundle/assets/index-abc.js', 'assets/index-abc.js'],
    ['app://bundle/assets/a%20b.css', 'assets/a b.css'],
    ['app://bundle/x/../index.html', 'index.html'],
    // The URL parser resolves encoded dot segments and clamps them at the root: still inside.
    ['app://bundle/%2e%2e/%2e%2e/etc/passwd', 'etc/passwd'],
  ])('%j → %s', (url, rel) => {
    expect(resolveAppAsset(url, root)).toBe(path.join(root, rel));
  });

  it.each([
    'app://bundle/..%2F..%2Fetc%2Fpasswd',
    'app://bundle/assets/..%2f..%2f..%2fsecrets.json',
    'app://bundle/..%5C..%5Csecrets.json',
    'app://bundle/index.html%00.png',
    'app://bundle/%E0%A4%A',
    'app://other/index.html',
    'app://bundle.evil/index.html',
    'app://u:p@bundle/index.html',
    'file:///etc/passwd',
    'https://bundle/index.html',
    'not a url',
  ])('%j → refused', (url) => {
    expect(resolveAppAsset(url, root)).toBeNull();
  });

  it('sends a CSP that allows scripts from the bundle only', () => {
    expect(RENDERER_CSP).toContain("script-src 'self'");
    expect(RENDERER_CSP).toContain("default-src 'none'");
    expect(RENDERER_CSP).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline|\*/);
  });

  it('repeats the same policy in the page, minus frame-ancestors (ignored, with a console error, in a meta tag)', () => {
    const html = fs.readFileSync(path.resolve(import.meta.dirname, '../../renderer/index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBe(RENDERER_META_CSP);
    expect(RENDERER_CSP).toContain("frame-ancestors 'none'");
  });
});

describe('bsc:copy payload', () => {
  it('accepts text up to 100 KB of UTF-8', () => {
    expect(validateCopyText('cus_123')).toBe('cus_123');
    expect(validateCopyText('')).toBe('');
    expect(validateCopyText('a'.repeat(MAX_COPY_BYTES))).toHaveLength(MAX_COPY_BYTES);
  });
  it.each([
    ['over 100 KB', 'a'.repeat(MAX_COPY_BYTES + 1)],
    ['under 100 K chars but over 100 KB of UTF-8', '€'.repeat(40_000)],
    ['a number', 5],
    ['an object', { toString: () => 'x' }],
    ['null', null],
    ['an array', ['x']],
  ])('refuses %s', (_label, input) => {
    expect(validateCopyText(input)).toBeNull();
  });
});

describe('application menu', () => {
  const roles = (t: ReturnType<typeof buildMenuTemplate>) => t.flatMap((m) => (Array.isArray(m.submenu) ? m.submenu.map((i) => i.role) : []));
  it('has the standard edit shortcuts on every platform', () => {
    for (const isMac of [true, false]) {
      const r = roles(buildMenuTemplate({ isMac, isDev: false, appName: 'X' }));
      for (const role of ['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll']) expect(r).toContain(role);
    }
  });
  it('offers devtools and reload only in development', () => {
    expect(roles(buildMenuTemplate({ isMac: false, isDev: false, appName: 'X' }))).not.toContain('toggleDevTools');
    expect(roles(buildMenuTemplate({ isMac: true, isDev: false, appName: 'X' }))).not.toContain('reload');
    expect(roles(buildMenuTemplate({ isMac: false, isDev: true, appName: 'X' }))).toContain('toggleDevTools');
  });
});
