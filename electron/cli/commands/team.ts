import type { CliCommand } from '../command';
import { UsageError } from '../command';
import { openTeamPool } from '../../team-server/db';
import { migrateTeamDb } from '../../team-server/migrate';
import { PgAgentStore, type Agent } from '../../team-server/stores/agents';
import { isRole } from '../../team-server/roles';

// `billing-console team agent add|list|revoke`: the team's agents, straight in the team database
// (DATABASE_URL), so an operator can create the first admin before any server runs.

const USAGE = 'team agent add --name NAME --role agent|lead|admin | team agent list | team agent revoke ID';

function describeAgent(a: Agent): string {
  return `${a.id}  ${a.name.padEnd(24)} ${a.role.padEnd(6)} ${a.revokedAt ? `revoked ${a.revokedAt}` : `active since ${a.createdAt}`}`;
}

export const teamCommand: CliCommand = {
  name: 'team',
  summary: "manage the team server's agents (reads DATABASE_URL)",
  usage: USAGE,
  options: { name: { type: 'string' }, role: { type: 'string' } },
  async run({ positionals, values, globals, io }) {
    const [group, action, ...rest] = positionals;
    if (group !== 'agent' || !action) throw new UsageError('expected: team agent add|list|revoke');
    const pool = openTeamPool(io.env.DATABASE_URL, { max: 2 });
    try {
      await migrateTeamDb(pool);
      const agents = new PgAgentStore(pool);
      if (action === 'add') {
        const name = values.name as string | undefined;
        const role = values.role as string | undefined;
        if (!name) throw new UsageError('team agent add needs --name NAME');
        if (!role || !isRole(role)) throw new UsageError(`team agent add needs --role agent, lead or admin${role ? ` (not "${role}")` : ''}`);
        const a = await agents.add(name, role);
        if (globals.json) io.out(JSON.stringify({ id: a.id, name: a.name, role: a.role, token: a.token }));
        else {
          io.out(`Added ${a.name} (${a.role}) as ${a.id}.`);
          io.out(`Token (shown only now; the server keeps a hash): ${a.token}`);
        }
        return;
      }
      if (action === 'list') {
        const list = await agents.list();
        if (globals.json) io.out(JSON.stringify(list.map((a) => ({ id: a.id, name: a.name, role: a.role, created_at: a.createdAt, revoked_at: a.revokedAt }))));
        else io.out(list.length ? list.map(describeAgent).join('\n') : 'No agents yet: add one with `billing-console team agent add --name NAME --role admin`.');
        return;
      }
      if (action === 'revoke') {
        const id = rest[0];
        if (!id) throw new UsageError('team agent revoke needs the agent id (team agent list shows it)');
        const a = await agents.revoke(id);
        if (globals.json) io.out(JSON.stringify({ id: a.id, name: a.name, role: a.role, revoked_at: a.revokedAt }));
        else io.out(`Revoked ${a.name} (${a.id}): the next request with that token is refused and open streams close.`);
        return;
      }
      throw new UsageError(`unknown action "${action}": expected add, list or revoke`);
    } finally {
      await pool.end();
    }
  },
};
