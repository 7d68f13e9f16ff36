import type { ReactNode } from 'react';
import { parseExternalUrl } from '../../../../shared/domain/external-url';
import { errorMessage } from '../../api/client';
import { useCallMutation } from '../../api/queries';
import { useApp } from '../../app/store';
import { Icon } from '../../ui/icons';

/**
 * A link to a page outside the app (the Stripe Dashboard). The app opens it in the system browser
 * through the services ('app.openExternal', which accepts http(s) only); the web harness has no
 * system browser, so there it opens a new tab with no opener. Anything that is not http(s) renders
 * as plain text.
 */
export function ExternalLink({ href, children, title }: { href: string; children: ReactNode; title?: string }) {
  const toast = useApp((s) => s.showToast);
  const openExternal = useCallMutation('app.openExternal');
  const safe = parseExternalUrl(href);
  if (!safe) return <span>{children}</span>;
  const open = async (e: React.MouseEvent) => {
    e.preventDefault();
    try {
      const { opened } = await openExternal.mutateAsync({ url: safe });
      if (!opened) window.open(safe, '_blank', 'noopener,noreferrer');
    } catch (err) {
      toast(`Could not open the link: ${errorMessage(err)}`, 'error');
    }
  };
  return (
    <a href={safe} target="_blank" rel="noopener noreferrer" onClick={(e) => void open(e)} title={title ?? safe} className="external-link">
      {children} <Icon name="external" size={12} />
    </a>
  );
}
