// A recording stand-in for the parts of Electron that electron/main uses. It runs in a child
// process (forked by tests/integration/electron-main-smoke.test.ts) and answers the parent's
// commands over the IPC channel: inspect what main did, invoke IPC handlers as a given frame,
// fetch from the app:// protocol, fire navigation events, quit.
'use strict';
const { EventEmitter } = require('node:events');

const recorded = {
  singleInstanceLock: 0,
  sandboxEnabled: false,
  privilegedSchemes: [],
  protocols: [],
  permissionHandlers: [],
  menu: null,
  windows: [],
  errorBoxes: [],
  messageBoxes: [],
  opened: [],
  clipboard: [],
  sent: [],
  ipcChannels: [],
};
const protocolHandlers = new Map();
const ipcHandlers = new Map();
let permissionRequest = null;
let permissionCheck = null;
const contents = [];

process.resourcesPath = process.env.STUB_RESOURCES_PATH;

class WebContents extends EventEmitter {
  constructor(id) {
    super();
    this.id = id;
    this.openHandler = null;
  }
  setWindowOpenHandler(h) {
    this.openHandler = h;
  }
  send(...args) {
    recorded.sent.push(args);
  }
  isDestroyed() {
    return false;
  }
}

const app = new EventEmitter();
Object.assign(app, {
  isPackaged: process.env.STUB_PACKAGED === '1',
  getPath: (name) => (name === 'userData' ? process.env.STUB_USER_DATA : `/tmp/stub-${name}`),
  getAppPath: () => process.env.STUB_APP_PATH,
  getVersion: () => '0.1.0-stub',
  getName: () => 'Billing Support Console',
  requestSingleInstanceLock: () => {
    recorded.singleInstanceLock++;
    return process.env.STUB_SECOND_INSTANCE !== '1';
  },
  enableSandbox: () => (recorded.sandboxEnabled = true),
  whenReady: () => Promise.resolve(),
  quit: () => {
    const event = { defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } };
    app.emit('will-quit', event);
    if (!event.defaultPrevented) setImmediate(() => process.exit(0));
  },
  exit: (code) => process.exit(code),
});

class BrowserWindow extends EventEmitter {
  constructor(options) {
    super();
    this.options = options;
    this.webContents = new WebContents(contents.length + 1);
    contents.push(this.webContents);
    this.destroyed = false;
    recorded.windows.push({ options: JSON.parse(JSON.stringify(options)), loaded: null });
    app.emit('web-contents-created', {}, this.webContents);
  }
  loadURL(url) {
    recorded.windows[recorded.windows.length - 1].loaded = url;
    setImmediate(() => this.emit('ready-to-show'));
    return Promise.resolve();
  }
  isDestroyed() { return this.destroyed; }
  isMinimized() { return false; }
  isMaximized() { return false; }
  getNormalBounds() { return { x: 10, y: 20, width: 1200, height: 800 }; }
  maximize() {}
  restore() {}
  show() {}
  focus() {}
}

module.exports = {
  app,
  BrowserWindow,
  screen: {
    getPrimaryDisplay: () => ({ id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1040 } }),
    getAllDisplays: () => [{ id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1040 } }],
  },
  protocol: {
    registerSchemesAsPrivileged: (schemes) => recorded.privilegedSchemes.push(...schemes),
    handle: (scheme, fn) => {
      recorded.protocols.push(scheme);
      protocolHandlers.set(scheme, fn);
    },
  },
  session: {
    defaultSession: {
      setPermissionRequestHandler: (h) => { recorded.permissionHandlers.push('request'); permissionRequest = h; },
      setPermissionCheckHandler: (h) => { recorded.permissionHandlers.push('check'); permissionCheck = h; },
      setDevicePermissionHandler: () => recorded.permissionHandlers.push('device'),
    },
  },
  Menu: {
    buildFromTemplate: (t) => t,
    setApplicationMenu: (m) => (recorded.menu = m.map((item) => ({ label: item.label, roles: (item.submenu || []).map((s) => s.role).filter(Boolean) }))),
  },
  dialog: {
    showErrorBox: (title, content) => {
      recorded.errorBoxes.push({ title, content });
      // The process usually exits right after an error box: the parent reads it from stdout.
      process.stdout.write(`ERRORBOX ${JSON.stringify({ title, content })}\n`);
    },
    showMessageBox: (_win, opts) => {
      recorded.messageBoxes.push(opts);
      return Promise.resolve({ response: 0 });
    },
  },
  safeStorage: {
    isEncryptionAvailable: () => true,
    encryptString: (s) => Buffer.from(s, 'utf8').reverse(),
    decryptString: (b) => Buffer.from(b).reverse().toString('utf8'),
    getSelectedStorageBackend: () => 'gnome_libsecret',
  },
  shell: {
    openExternal: (url) => {
      recorded.opened.push(url);
      return Promise.resolve();
    },
  },
  ipcMain: {
    handle: (channel, fn) => {
      recorded.ipcChannels.push(channel);
      ipcHandlers.set(channel, fn);
    },
    removeHandler: (channel) => ipcHandlers.delete(channel),
  },
  clipboard: { writeText: (t) => recorded.clipboard.push(t) },
};

function reply(id, body) {
  process.send({ id, ...body });
}

process.on('message', async (msg) => {
  const { id, cmd } = msg;
  try {
    if (cmd === 'state') return reply(id, { state: recorded });
    if (cmd === 'invoke') {
      const handler = ipcHandlers.get(msg.channel);
      if (!handler) return reply(id, { error: `no handler for ${msg.channel}` });
      const top = { url: msg.frameUrl, parent: null };
      const frame = msg.subframe ? { url: msg.frameUrl, parent: top } : top;
      const event = { senderFrame: frame, sender: { id: msg.contentsId ?? 1 } };
      try {
        return reply(id, { value: await handler(event, ...msg.args) });
      } catch (err) {
        return reply(id, { thrown: err.message });
      }
    }
    if (cmd === 'protocol') {
      const res = await protocolHandlers.get('app')(new Request(msg.url));
      const text = await res.text();
      return reply(id, { status: res.status, type: res.headers.get('content-type'), csp: res.headers.get('content-security-policy'), body: text.slice(0, 200) });
    }
    if (cmd === 'navigate') {
      let prevented = false;
      contents[0].emit(msg.event, { preventDefault: () => (prevented = true), url: msg.url, isMainFrame: true }, msg.url);
      return reply(id, { prevented });
    }
    if (cmd === 'windowOpen') return reply(id, { value: contents[0].openHandler({ url: msg.url }) });
    if (cmd === 'permission') {
      let granted = null;
      permissionRequest(contents[0], msg.permission, (g) => (granted = g), {});
      return reply(id, { granted, check: permissionCheck(contents[0], msg.permission, 'app://bundle', {}) });
    }
    if (cmd === 'secondInstance') {
      app.emit('second-instance', {}, [], '/');
      return reply(id, {});
    }
    if (cmd === 'quit') {
      reply(id, {});
      return app.quit();
    }
    reply(id, { error: `unknown command ${cmd}` });
  } catch (err) {
    reply(id, { error: err && err.stack ? err.stack : String(err) });
  }
});
