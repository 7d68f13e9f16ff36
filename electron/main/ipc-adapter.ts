import { clipboard, ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import type { CallResult } from '../../shared/contract/errors';
import type { Services } from '../services';
import { agentName } from '../services/workspace/agent-name';
import { IPC_CALL, IPC_COPY, IPC_STREAM, validateCopyText } from './ipc-channels';
import { isTrustedSender, senderFacts } from './security';

// THE ONLY file that touches Electron's main-side IPC module. Every message is checked against the
// sender frame (our window, its top frame, our entry page) before anything runs; calls then go
// through the handler table, which validates the input with the contract's zod schema and turns
// every failure into a typed {code, message}.

const FORBIDDEN_MESSAGE = 'This request did not come from the console window and was refused.';
const FORBIDDEN: CallResult<never> = { ok: false, error: { code: 'forbidden', message: FORBIDDEN_MESSAGE } };

export function serveOverIpc(services: Services, appWindow: () => BrowserWindow | null): () => void {
  // Read at each use, not kept: joining or leaving a team swaps the services' cache and table.
  const ctx = () => services.ctx;

  const trusted = (event: IpcMainInvokeEvent): boolean => {
    const window = appWindow();
    const contentsId = window && !window.isDestroyed() ? window.webContents.id : null;
    const facts = senderFacts(event.senderFrame, event.sender, contentsId);
    if (isTrustedSender(facts)) return true;
    ctx().log.warn('refused an IPC message from an untrusted frame', { frameUrl: String(facts?.frameUrl ?? 'none').slice(0, 200), mainFrame: facts?.isMainFrame ?? false });
    return false;
  };

  ipcMain.handle(IPC_CALL, async (event, name: unknown, input: unknown) => {
    if (!trusted(event)) return FORBIDDEN;
    return services.table.dispatch(name, input, { actor: agentName(ctx()) });
  });

  ipcMain.handle(IPC_COPY, async (event, text: unknown) => {
    if (!trusted(event)) throw new Error(FORBIDDEN_MESSAGE);
    const valid = validateCopyText(text);
    if (valid === null) throw new Error('Only text up to 100 KB can be copied.');
    // Electron's writeText is asynchronous: awaiting it turns a refused write into the renderer's
    // error (its Copy says so) instead of an unhandled rejection and a Copy that claims success.
    await clipboard.writeText(valid);
  });

  // Streams go to our window only, redacted like every call result.
  const unsubscribe = ctx().hub.subscribe((channel, payload) => {
    const window = appWindow();
    if (!window || window.isDestroyed() || window.webContents.isDestroyed()) return;
    window.webContents.send(IPC_STREAM, channel, ctx().redactor.value(payload));
  });

  return () => {
    unsubscribe();
    ipcMain.removeHandler(IPC_CALL);
    ipcMain.removeHandler(IPC_COPY);
  };
}
