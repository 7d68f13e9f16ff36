import { AppError } from '../../../shared/contract/errors';
import type { TeamStatus } from '../../../shared/contract/team';
import type { ServiceContext } from '../core/context';
import type { HandlerTable } from '../core/handler-table';
import type { SecretStore } from '../core/secrets';
import { TeamClient, TeamSignedOutError, TeamUnreachableError } from './team-client';
import { checkTeamConfig, TEAM_URL_SETTING } from './team-config';

// Settings → Team: the desk's team status, joining (the server and the token checked first, the
// token kept in the OS keychain) and leaving. Both take effect at the next start: the cache,
// the sync and every screen change side, which is a start-up decision, not a switch mid-session.

export function teamStatus(ctx: ServiceContext): TeamStatus | null {
  const desk = ctx.registries.teamDesk;
  if (!desk) return null;
  return {
    url: desk.client.url,
    connection: desk.replica.status,
    message: desk.replica.statusMessage,
    agent: desk.replica.identity(),
    seq: desk.replica.seq(),
    pendingWrites: desk.outbox.count(),
  };
}

export function registerTeamHandlers(table: HandlerTable, ctx: ServiceContext, secrets: SecretStore): void {
  table.register('team', {
    'team.status': () => teamStatus(ctx),
    'team.join': async ({ url, token }) => {
      const config = checkTeamConfig({ url, token });
      ctx.redactor.remember(config.token);
      if (!secrets.persistent) {
        throw new AppError('not_configured', 'This console keeps no keys between runs (the web harness or the CLI): start it with BSC_TEAM_URL and BSC_TEAM_TOKEN instead.');
      }
      const client = new TeamClient(config);
      let agent;
      try {
        agent = await client.me();
        if ((await client.accounts()).length === 0) throw new AppError('not_configured', 'The team server has no Stripe account yet (an admin sets STRIPE_SECRET_KEY on the server). Join again once it has one.');
      } catch (err) {
        if (err instanceof TeamSignedOutError) throw new AppError('forbidden', 'The team server refused this token (unknown or revoked). Ask a team admin for a new one.');
        if (err instanceof TeamUnreachableError) throw new AppError('offline', `Not joined: ${err.message.split(' (')[0]} at ${config.url}. Check the address.`);
        throw err;
      }
      secrets.set('team_token', config.token);
      ctx.settings.set(TEAM_URL_SETTING, config.url);
      ctx.log.info('team joined (takes effect at the next start)', { url: config.url, agent: agent.id });
      return { url: config.url, agent, restartRequired: true };
    },
    // Presence is a team desk's: a solo desk has nobody to tell and nobody to show.
    'team.presence.report': async (input) => {
      const presence = ctx.registries.teamDesk?.presence;
      if (!presence) return { reported: false };
      return { reported: 'open' in input ? await presence.report(input.open) : await presence.close(input.closed) };
    },
    'team.presence.list': () => ctx.registries.teamDesk?.presence.list() ?? [],
    'team.leave': () => {
      secrets.delete('team_token');
      ctx.settings.delete(TEAM_URL_SETTING);
      return { restartRequired: ctx.registries.teamDesk !== null };
    },
  });
}
