import { isCallName, type CallName } from '../../../shared/contract';
import { AppError, type CallError, type CallResult } from '../../../shared/contract/errors';
import { parseCallInput, typedCallError } from '../../services/core/handler-table';
import type { Logger } from '../../services/core/log';
import type { Redactor } from '../../services/core/redact';
import { authorize, dependsOnInput, isWriteCall } from '../roles';
import { dunningHandlers } from './dunning';
import { noteHandlers } from './notes';
import { portalHandlers } from './portal';
import { retryHandlers } from './retry';
import { kbHandlers } from './kb';
import { copilotActionHandlers } from './copilot-actions';
import { dunningExportHandlers } from './dunning-export';
import { portalConfigurationHandlers } from './portal-configurations';
import { keyHandlers, syncHandlers } from './keys';
import { modelSettingsHandlers } from './model-settings';
import type { TeamCallContext, TeamHandler, TeamHandlerMap } from './types';

// The team server's handler table: the contract's calls, validated with the same zod schemas and
// answered with the same outputs, so a desk forwards a write unchanged. Order for every call:
// known? → input valid? → role allowed? → run. Never throws; every failure is a typed error in
// words with secrets redacted.

/** Calls that act on the team, not on one account: served before the server has any account (the first key). */
export const TEAM_WIDE_CALLS: readonly string[] = ['workspace.setStripeKey', 'workspace.clearStripeKey', 'copilot.settings.get', 'copilot.settings.set', 'copilot.settings.setKey', 'copilot.settings.clearKey'];

const DOMAINS: Array<[string, TeamHandlerMap]> = [
  ['notes', noteHandlers],
  ['dunning', dunningHandlers],
  ['portal', portalHandlers],
  ['retry', retryHandlers],
  ['kb', kbHandlers],
  ['copilot', copilotActionHandlers],
  ['dunning export', dunningExportHandlers],
  ['portal configurations', portalConfigurationHandlers],
  ['keys', keyHandlers],
  ['sync', syncHandlers],
  ['model settings', modelSettingsHandlers],
];

export class TeamCallTable {
  private readonly handlers = new Map<CallName, TeamHandler<CallName>>();

  constructor(
    private readonly log: Logger,
    private readonly redactor: Redactor,
    domains: Array<[string, TeamHandlerMap]> = DOMAINS,
  ) {
    for (const [domain, map] of domains) {
      for (const [name, handler] of Object.entries(map)) {
        if (!isCallName(name)) throw new Error(`team calls(${domain}): "${name}" is not in the contract`);
        if (this.handlers.has(name)) throw new Error(`team calls(${domain}): "${name}" is already registered`);
        this.handlers.set(name, handler as TeamHandler<CallName>);
      }
    }
  }

  served(): CallName[] {
    return [...this.handlers.keys()];
  }

  async dispatch(name: string, rawInput: unknown, ctx: TeamCallContext): Promise<CallResult<unknown>> {
    if (!isCallName(name)) return { ok: false, error: { code: 'unknown_call', message: `Unknown call: ${name.slice(0, 80)}` } };
    // A role that may never make this call is refused before its input is even looked at.
    if (!dependsOnInput(name)) {
      try {
        authorize(ctx.agent.role, name, undefined);
      } catch (err) {
        return { ok: false, error: this.toCallError(name, err) };
      }
    }
    const parsed = parseCallInput(name, rawInput, this.redactor);
    if (!parsed.ok) return parsed;
    try {
      authorize(ctx.agent.role, name, parsed.data);
      const handler = this.handlers.get(name);
      if (!handler) {
        const what = isWriteCall(name) ? 'is not served by this team server yet' : "is a read: the desk answers it from its own replica";
        throw new AppError('unknown_call', `${name} ${what}.`, { call: name });
      }
      const value = await handler(parsed.data as never, ctx);
      return { ok: true, value: this.redactor.value(value) };
    } catch (err) {
      return { ok: false, error: this.toCallError(name, err) };
    }
  }

  private toCallError(name: string, err: unknown): CallError {
    const typed = typedCallError(err, this.redactor);
    if (typed) return typed;
    this.log.error('team call failed', { call: name, error: err });
    return { code: 'internal', message: 'Something went wrong on the team server. The details are in its log; nothing was changed.' };
  }
}
