import { BrowserWindow, screen } from 'electron';
import { APP_ENTRY_URL } from './app-protocol';
import { placeWindow, readWindowState, writeWindowState } from './window-state';

export interface MainWindowOptions {
  /** dist/preload/preload.cjs */
  preloadPath: string;
  /** userData/window-state.json */
  stateFile: string;
  /** Devtools only when running from source (`npm start`), never in a packaged build. */
  devTools: boolean;
}

/**
 * The one app window. Every web preference that matters is spelled out, even where it is
 * Electron's default, so a change of default (or of this file) is visible in review.
 */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  // placeWindow centres on the first work area when the saved position is unusable: the primary one.
  const primary = screen.getPrimaryDisplay();
  const workAreas = [primary.workArea, ...screen.getAllDisplays().filter((d) => d.id !== primary.id).map((d) => d.workArea)];
  const placement = placeWindow(readWindowState(options.stateFile), workAreas);
  const window = new BrowserWindow({
    x: placement.x,
    y: placement.y,
    width: placement.width,
    height: placement.height,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Billing Support Console',
    backgroundColor: '#111318',
    webPreferences: {
      // Reviewed: the preload exposes one named function per contract call and per stream, never ipcRenderer.
      preload: options.preloadPath, // eng-disable PRELOAD_JS_CHECK
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      // Middle-click would otherwise ask for a new window (denied anyway by setWindowOpenHandler).
      disableBlinkFeatures: 'Auxclick',
      devTools: options.devTools,
    },
  });
  if (placement.maximized) window.maximize();
  window.once('ready-to-show', () => window.show());

  // Remember where the window was: normal bounds (not the maximized ones) plus the maximized flag.
  window.on('close', () => {
    try {
      writeWindowState(options.stateFile, { bounds: window.getNormalBounds(), maximized: window.isMaximized() });
    } catch {
      // Losing the window position is harmless; failing to close the window would not be.
    }
  });

  void window.loadURL(APP_ENTRY_URL);
  return window;
}
