import fs from 'node:fs';
import path from 'node:path';
import { app, BrowserWindow, dialog, Menu, protocol, safeStorage, session, shell } from 'electron';
import { createServices, type Services } from '../services';
import { Redactor } from '../services/core/redact';
import { APP_SCHEME_PRIVILEGES, registerAppProtocol } from './app-protocol';
import { createAppLogger } from './app-log';
import { serveOverIpc } from './ipc-adapter';
import { buildMenuTemplate } from './menu';
import { runtimeNativeBinding } from './native-binding';
import { SafeStorageSecretStore } from './secrets';
import { denyAllPermissions, guardAllWebContents, shouldOpenExternally } from './security';
import { cacheRecoveredText, missingNativeBindingText, startupFailureText, type DialogText } from './startup-messages';
import { createMainWindow } from './window';

// The app entry: thin wiring. Every decision lives in a pure module next to this one (tested under
// Node); every capability lives in electron/services (shared with the CLI, the harness and tests).

const isDev = !app.isPackaged;
let mainWindow: BrowserWindow | null = null;
let services: Services | null = null;
let stopIpc: (() => void) | null = null;

/** Opens a URL in the system browser only after parsing it as http(s) without credentials. */
async function openInBrowser(url: string): Promise<boolean> {
  const safe = shouldOpenExternally(url);
  if (!safe) return false;
  try {
    await shell.openExternal(safe); // eng-disable OPEN_EXTERNAL_JS_CHECK -- `safe` comes from shouldOpenExternally: parsed, http(s) only, no credentials
    return true;
  } catch {
    return false;
  }
}

function showError(text: DialogText): void {
  dialog.showErrorBox(text.title, `${text.message}\n\n${text.detail}`);
}

function focusMainWindow(): void {
  if (!mainWindow || mainWindow.isDestroyed()) return;
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

function openMainWindow(): void {
  mainWindow = createMainWindow({
    preloadPath: path.join(app.getAppPath(), 'dist/preload/preload.cjs'),
    stateFile: path.join(app.getPath('userData'), 'window-state.json'),
    devTools: isDev,
  });
  mainWindow.on('closed', () => {
    mainWindow = null;
  });
}

async function start(): Promise<void> {
  const userData = app.getPath('userData');
  const redactor = new Redactor();
  const { log } = createAppLogger(path.join(userData, 'logs'), redactor);

  denyAllPermissions(session.defaultSession);
  registerAppProtocol(protocol, path.join(app.getAppPath(), 'dist/renderer'));
  Menu.setApplicationMenu(Menu.buildFromTemplate(buildMenuTemplate({ isMac: process.platform === 'darwin', isDev, appName: app.getName() })));

  const cacheFile = path.join(userData, 'cache.db');
  const nativeBinding = runtimeNativeBinding({
    isPackaged: app.isPackaged,
    appPath: app.getAppPath(),
    resourcesPath: process.resourcesPath,
    target: { electron: process.versions.electron, platform: process.platform, arch: process.arch },
  });
  if (!fs.existsSync(nativeBinding)) {
    showError(missingNativeBindingText(nativeBinding));
    app.exit(1);
    return;
  }

  const secrets = new SafeStorageSecretStore(
    path.join(userData, 'secrets.json'),
    {
      isEncryptionAvailable: () => safeStorage.isEncryptionAvailable(),
      encryptString: (text) => safeStorage.encryptString(text),
      decryptString: (data) => safeStorage.decryptString(data),
      // Only Linux has a choice of backends; elsewhere the OS keychain is the only one.
      getSelectedStorageBackend: process.platform === 'linux' ? () => safeStorage.getSelectedStorageBackend() : undefined,
    },
    (message, fields) => log.warn(message, fields),
  );

  try {
    services = await createServices(
      {
        dbPath: cacheFile,
        nativeBinding,
        privateCacheFolder: true,
        appVersion: app.getVersion(),
        // A Stripe-compatible test server is for development only: a packaged app talks to Stripe.
        stripeApiBase: isDev ? process.env.STRIPE_API_BASE : undefined,
        host: { openExternal: openInBrowser },
        env: process.env,
        packaged: app.isPackaged,
      },
      { secrets, logger: log, redactor },
    );
  } catch (err) {
    log.error('start-up failed', { error: err });
    showError(startupFailureText(err, { cacheFile, nativeBinding }));
    app.exit(1);
    return;
  }

  openMainWindow();
  stopIpc = serveOverIpc(services, () => mainWindow);

  const status = await services.table.dispatch('workspace.status', {}, { actor: 'system' });
  const recovered = status.ok ? (status.value as { cacheRecovered: { movedTo: string; reason: string } | null }).cacheRecovered : null;
  if (recovered && mainWindow) {
    const text = cacheRecoveredText(recovered);
    void dialog.showMessageBox(mainWindow, { type: 'warning', title: text.title, message: text.message, detail: text.detail });
  }
}

if (!app.requestSingleInstanceLock()) {
  // Another console is already running on this cache: it gets focused (second-instance below).
  app.quit();
} else {
  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
  app.enableSandbox();
  guardAllWebContents(app, (url) => void openInBrowser(url));

  app.on('second-instance', focusMainWindow);
  app.on('activate', () => {
    if (!mainWindow && services) openMainWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  let closed = false;
  app.on('will-quit', (event) => {
    if (closed || !services) return;
    // Close the cache cleanly (WAL checkpoint, timers stopped) before the process ends.
    event.preventDefault();
    stopIpc?.();
    const closing = services;
    services = null;
    void closing.close().finally(() => {
      closed = true;
      app.quit();
    });
  });

  app
    .whenReady()
    .then(start)
    .catch((err: unknown) => {
      showError(startupFailureText(err, { cacheFile: path.join(app.getPath('userData'), 'cache.db') }));
      app.exit(1);
    });
}
