import { useId, useState } from 'react';
import { useApp } from '../../app/store';
import { copyLinks } from './copy-links';
import { useDunning } from './store';
import { caseWrites, useAssignees } from './queries';
import { useRoleRefusal } from '../team/role';

/** Actions on the selected cases: assign, mark contacted, send the payment-method-update link. */
export function BulkBar() {
  const selected = useDunning((s) => s.selected);
  const assignees = useAssignees();
  const busy = useDunning((s) => s.busy);
  const { assign, moveStage, sendPortalLinks } = caseWrites;
  const clearSelection = useDunning((s) => s.clearSelection);
  const toast = useApp((s) => s.showToast);
  const [assignee, setAssignee] = useState('');
  const listId = useId();
  const ids = [...selected];
  // On a team, several cases at once is a lead's action (the server's table says so): disabled, with why.
  const assignRefusal = useRoleRefusal('dunning.assign', { caseIds: ids });
  const moveRefusal = useRoleRefusal('dunning.setStage', { caseIds: ids, stage: 'contacted' });
  const linksRefusal = useRoleRefusal('dunning.sendPortalLinks', { caseIds: ids });
  if (ids.length === 0) return null;

  const run = async (action: () => Promise<string>) => {
    try {
      toast(await action());
      clearSelection();
    } catch (err) {
      toast(err instanceof Error ? err.message : String(err), 'error');
    }
  };

  return (
    <div className="dunning-bulk" role="toolbar" aria-label={`Actions on ${ids.length} selected cases`}>
      <strong>{ids.length} selected</strong>
      <form
        className="dunning-assign"
        onSubmit={(e) => {
          e.preventDefault();
          const name = assignee.trim();
          void run(async () => {
            const n = await assign(ids, name || null);
            return name ? `Assigned ${n} case${n === 1 ? '' : 's'} to ${name}.` : `Unassigned ${n} case${n === 1 ? '' : 's'}.`;
          });
        }}
      >
        <input list={listId} aria-label="Assign to" placeholder="Assign to… (empty: unassign)" value={assignee} onChange={(e) => setAssignee(e.target.value)} maxLength={80} disabled={!!assignRefusal} title={assignRefusal ?? undefined} />
        <datalist id={listId}>
          {assignees.map((a) => (
            <option key={a} value={a} />
          ))}
        </datalist>
        <button type="submit" disabled={!!busy || !!assignRefusal} title={assignRefusal ?? undefined}>
          Assign
        </button>
      </form>
      <button
        type="button"
        disabled={!!busy || !!moveRefusal}
        title={moveRefusal ?? undefined}
        onClick={() =>
          void run(async () => {
            const r = await moveStage(ids, 'contacted');
            return `Marked ${r.moved} contacted${r.refused.length ? `; ${r.refused.length} not moved (${r.refused[0]})` : ''}.`;
          })
        }
      >
        Mark contacted
      </button>
      <button
        type="button"
        disabled={!!busy || !!linksRefusal}
        title={linksRefusal ?? 'Creates a Customer Portal link (update payment method) for each customer and copies them'}
        onClick={() =>
          void run(async () => {
            const r = await sendPortalLinks(ids);
            const copied = r.sent.length ? await copyLinks(r.sent.map((s) => s.url)) : false;
            const simulated = r.sent.some((s) => s.simulated) ? ' (simulated: demo workspace)' : '';
            return `${r.sent.length} payment-method link${r.sent.length === 1 ? '' : 's'} created${simulated}${copied ? ', copied' : ''}${r.failed.length ? `; ${r.failed.length} failed: ${r.failed[0]}` : ''}.`;
          })
        }
      >
        Send card-update link
      </button>
      <span className="spacer" />
      {busy && <span className="muted">{busy}</span>}
      <button type="button" className="dunning-link" onClick={clearSelection}>
        Clear selection <kbd>Esc</kbd>
      </button>
    </div>
  );
}
