import { agentName } from '../../services/workspace/agent-name';
import { DUNNING_STAGES } from '../../../shared/contract/dunning';
import { AppError } from '../../../shared/contract/errors';
import { UsageError, type CliGlobals, type CliIo } from '../command';
import { openServices } from '../open-services';

// `dunning assign <invoice> <agent>` and `dunning stage <invoice> <stage>`: the queue's own calls
// (the same stage machine, the same audit), for scripts and team leads. The case is found by its
// invoice (its newest case, open first); a case id works too. On a team the desk catches up
// first, then the call goes to the team server, which decides by role and names the agent.

function findCase(services: Awaited<ReturnType<typeof openServices>>, ref: string): number {
  const ctx = services.ctx;
  const accountId = ctx.workspace.current().id;
  if (/^\d{1,12}$/.test(ref)) {
    const row = ctx.db.prepare('SELECT id FROM dunning_cases WHERE account_id = ? AND id = ?').get(accountId, Number(ref)) as { id: number } | undefined;
    if (row) return row.id;
    throw new AppError('not_found', `No dunning case ${ref} in ${accountId}.`);
  }
  if (!/^in_[A-Za-z0-9_]{1,250}$/.test(ref)) throw new UsageError(`dunning: "${ref}" is neither an invoice id (in_…) nor a case number.`);
  const row = ctx.db.prepare('SELECT id FROM dunning_cases WHERE account_id = ? AND invoice_id = ? ORDER BY (closed_at IS NULL) DESC, id DESC LIMIT 1').get(accountId, ref) as { id: number } | undefined;
  if (!row) throw new AppError('not_found', `No dunning case for invoice ${ref} in ${accountId}${ctx.registries.teamDesk ? '' : ' (run `sync` first if the invoice failed recently)'}.`);
  return row.id;
}

export async function changeDunningCase(action: 'assign' | 'stage', args: string[], globals: CliGlobals, io: CliIo): Promise<void> {
  const [ref, ...rest] = args;
  const value = rest.join(' ').trim();
  if (!ref || !value) throw new UsageError(action === 'assign' ? 'dunning assign <in_…> <agent name or agt_… id> (or "none" to unassign)' : `dunning stage <in_…> <stage> (${DUNNING_STAGES.join(', ')})`);
  if (action === 'stage' && !(DUNNING_STAGES as readonly string[]).includes(value)) throw new UsageError(`dunning stage: unknown stage "${value}". Stages: ${DUNNING_STAGES.join(', ')}`);
  const services = await openServices(globals, io);
  try {
    const team = services.ctx.registries.teamDesk;
    if (team) await team.replica.pull().catch(() => {});
    const caseId = findCase(services, ref);
    const [name, input] = action === 'assign' ? (['dunning.assign', { caseIds: [caseId], assignee: value === 'none' ? null : value }] as const) : (['dunning.setStage', { caseIds: [caseId], stage: value }] as const);
    const r = await services.table.dispatch(name, input, { actor: agentName(services.ctx) });
    if (!r.ok) throw new AppError(r.error.code, r.error.message, r.error.details);
    if (action === 'stage') {
      const out = r.value as { moved: number[]; refused: Array<{ caseId: number; reason: string }> };
      if (out.refused.length) throw new AppError('refused', `Case ${caseId} was not moved: ${out.refused[0]!.reason}`);
      if (globals.json) io.out(JSON.stringify({ case_id: caseId, stage: value, moved: out.moved.includes(caseId) }));
      else io.out(`case ${caseId} (${ref}) moved to ${value}`);
    } else {
      const out = r.value as { updated: number[] };
      // Named as the case now reads (a team desk has caught up with the server's answer): an agent
      // given by id (agt_…) is shown by name, as the server resolved it.
      const now = services.ctx.db.prepare('SELECT assignee, assignee_agent_id FROM dunning_cases WHERE id = ?').get(caseId) as { assignee: string | null; assignee_agent_id: string | null };
      const changed = out.updated.includes(caseId);
      if (globals.json) io.out(JSON.stringify({ case_id: caseId, assignee: now.assignee, assignee_agent_id: now.assignee_agent_id, changed }));
      else {
        const state = now.assignee === null ? 'unassigned' : `assigned to ${now.assignee}`;
        io.out(changed ? `case ${caseId} (${ref}) ${state}` : `case ${caseId} (${ref}) was already ${state}`);
      }
    }
  } finally {
    await services.close();
  }
}
