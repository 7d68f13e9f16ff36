import { useCallback, useRef, useState } from 'react';
import type { CallInput } from '../../../../shared/contract';
import type { PortalLinkRecord } from '../../../../shared/contract/portal';
import { errorMessage } from '../../api/client';
import { useCallMutation } from '../../api/queries';
import { useApp } from '../../app/store';
import { copyText } from '../../ui/clipboard';

export type CreateLinkRequest = Omit<CallInput<'portal.createLink'>, 'idempotencyKey'>;

export interface CreateLinkState {
  busy: boolean;
  link: PortalLinkRecord | null;
  /** Whether the link reached the clipboard (it is shown either way). */
  copied: boolean;
  error: string | null;
}

function newClickKey(): string {
  // randomUUID needs a secure context; getRandomValues works everywhere the renderer runs.
  if (typeof crypto.randomUUID === 'function') return `click-${crypto.randomUUID()}`;
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `click-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * One click → one portal link, copied to the clipboard. Each click gets its own idempotency key,
 * so a double submit of the same click cannot make two sessions; a later click makes a new link.
 */
export function useCreatePortalLink() {
  const showToast = useApp((s) => s.showToast);
  const [state, setState] = useState<CreateLinkState>({ busy: false, link: null, copied: false, error: null });
  const inFlight = useRef<string | null>(null);
  // The customer view and the links page show the new link at once.
  const { mutateAsync } = useCallMutation('portal.createLink', { invalidates: ['customers.get', 'portal.history'] });

  const create = useCallback(
    async (request: CreateLinkRequest): Promise<PortalLinkRecord | null> => {
      if (inFlight.current) return null;
      const key = newClickKey();
      inFlight.current = key;
      setState({ busy: true, link: null, copied: false, error: null });
      try {
        const link = await mutateAsync({ ...request, idempotencyKey: key });
        let copied = true;
        try {
          await copyText(link.url);
        } catch {
          copied = false;
        }
        setState({ busy: false, link, copied, error: null });
        showToast(copied ? (link.simulated ? 'Link copied (simulated: demo workspace)' : 'Link copied') : 'Link created, but the clipboard refused it: copy it from the field.', copied ? 'info' : 'error');
        return link;
      } catch (err) {
        setState({ busy: false, link: null, copied: false, error: errorMessage(err) });
        return null;
      } finally {
        inFlight.current = null;
      }
    },
    [showToast, mutateAsync],
  );

  const reset = useCallback(() => setState({ busy: false, link: null, copied: false, error: null }), []);
  return { ...state, create, reset };
}
