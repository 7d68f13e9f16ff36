import type { WorkspaceStatus } from '../../../shared/contract';
import { invalidateCalls, useCall } from '../api/queries';

/** The workspace the console shows (account, test/live/demo mode): the cached workspace.status answer. */
export function useWorkspace(): WorkspaceStatus | null {
  return useCall('workspace.status', {}).data ?? null;
}

/** After a key, account or agent-name change: read the workspace again. */
export function refreshWorkspace(): Promise<void> {
  return invalidateCalls('workspace.status');
}
