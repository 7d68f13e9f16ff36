import type http from 'node:http';
import { presenceReport } from '../../../shared/contract/team-presence';
import type { PresenceHub } from '../feed/presence-hub';
import type { Agent } from '../stores/agents';
import { sendError, sendJson } from './respond';

// POST /v1/presence {desk, open: {customerId, caseId} | null}: what a desk has open, repeated as
// a heartbeat while it stays open (the answer says how long one lasts); `open: null` ends it.

export async function reportPresence(res: http.ServerResponse, raw: Buffer, agent: Agent, accountId: string, hub: PresenceHub): Promise<void> {
  let json: unknown;
  try {
    json = raw.length ? JSON.parse(raw.toString('utf8')) : {};
  } catch {
    return sendError(res, 400, { code: 'bad_input', message: 'The request body is not valid JSON.' });
  }
  const parsed = presenceReport.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return sendError(res, 400, { code: 'bad_input', message: `A presence report is {desk, open: {customerId, caseId} | null}: ${issue.path.join('.') || 'body'}: ${issue.message}.` });
  }
  await hub.report(agent, accountId, parsed.data);
  sendJson(res, 200, { ok: true, ttlMs: hub.ttlMs });
}
