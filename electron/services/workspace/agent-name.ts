import type { ServiceContext } from '../core/context';

// The person at this desk: the actor of every audit row, the author of their notes and the first
// name offered as an assignee. Every transport (the app, the web harness, the CLI) reads it here,
// so an action is attributed the same way whichever way it was started.

const SETTING = 'agent_name';
/** Until the agent names themselves, unless the host knows better (the CLI: the OS user). */
export const DEFAULT_AGENT_NAME = 'agent';

/** On a team, the server's name for the token's agent; else the name set in Settings. */
export function agentName(ctx: ServiceContext): string {
  const team = ctx.registries.teamDesk?.replica.identity();
  if (team) return team.name;
  return ctx.settings.get<string>(SETTING, ctx.options.defaultAgentName || DEFAULT_AGENT_NAME);
}

export function setAgentName(ctx: Pick<ServiceContext, 'settings'>, name: string): void {
  ctx.settings.set(SETTING, name);
}
