import type { WorkspaceStatus } from '../../../shared/contract';
import { useCall } from '../api/queries';

/** The workspace the console shows (account, test/live/demo mode): the cached workspace.status answer. */
export function useWorkspace(): WorkspaceStatus | null {
  return useCall('workspace.status', {}).data ?? null;
}
