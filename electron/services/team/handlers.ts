import { AppError } from '../../../shared/contract/errors';
import type { TeamStatus } from '../../../shared/contract/team';
import type { ServiceContext } from '../core/context';
import type { HandlerTable } from '../core/handler-table';
import type { SecretStore } from '../core/secrets';
import { TeamClient, TeamSignedOutError, TeamUnreachableError } from './team-client';
import { checkTeamConfig, TEAM_URL_SETTING } from './team-config';
import type { TeamSwitch } from './team-switch';

// Settings → Team: the desk's team status, joining (the server and the token checked first, the
// token kept in the OS keychain) and leaving. Both take effect at once where the host can swap the
// services (the app: `switcher`): joining starts the team desk on its own cache, leaving stops it
// and reopens the solo cache as it was. A team named by the environment (CLI, harness) stays until
// the environment changes.

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

export function registerTeamHandlers(table: HandlerTable, ctx: ServiceContext, secrets: SecretStore, switcher: TeamSwitch | null): void {
  table.register('team', {
    'team.status': () => teamStatus(ctx),
    'team.join': async ({ url, token }) => {
      if (ctx.registries.teamDesk) throw new AppError('refused', `This desk already follows ${ctx.registries.teamDesk.client.url}: leave that team first (Settings → Team).`);
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
      // Stored only once the team desk stands (its snapshot taken): a join that fails leaves the solo desk as it was.
      const remember = () => {
        secrets.set('team_token', config.token);
        ctx.settings.set(TEAM_URL_SETTING, config.url);
      };
      if (switcher) {
        await switcher.switchTo(config, (next) => {
          // Named at once (the server just said who the token is), not only after the first feed contact.
          next.registries.teamDesk?.replica.rememberIdentity(agent);
          remember();
        });
        ctx.log.info('team joined', { url: config.url, agent: agent.id });
        return { url: config.url, agent, restartRequired: false };
      }
      remember();
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
    'team.leave': async () => {
      const desk = ctx.registries.teamDesk;
      if (desk && switcher) {
        // The solo cache (where the joined team is named) is open again before it is cleared; this
        // desk's team cache stays on disk, so joining again continues from its position.
        await switcher.switchTo(null, (solo) => {
          secrets.delete('team_token');
          solo.settings.delete(TEAM_URL_SETTING);
        });
        return { restartRequired: false };
      }
      secrets.delete('team_token');
      ctx.settings.delete(TEAM_URL_SETTING);
      return { restartRequired: desk !== null };
    },
  });
}
