import { startTeamServer, type TeamServer, type TeamServerOptions } from '../../electron/team-server/app';
import { staticAccounts } from '../../electron/team-server/stores/account-health';
import type { Role } from '../../electron/team-server/roles';
import { silentLogger } from '../../electron/services/core/log';

// A team-server instance for a test: a fresh database URL, a random loopback port, one account.

export const TEAM_ACCOUNT = 'acct_1TeamTest0000001';

export async function startTestTeamServer(databaseUrl: string, opts: Partial<TeamServerOptions> = {}): Promise<TeamServer> {
  return startTeamServer({
    env: { BSC_TEAM_LISTEN: '127.0.0.1:0', ...(opts.env ?? {}) },
    databaseUrl,
    health: staticAccounts([{ id: TEAM_ACCOUNT, backfill_complete: true, leader: true }]),
    log: silentLogger,
    ...opts,
  });
}

export interface TestAgent {
  id: string;
  name: string;
  role: Role;
  token: string;
  call<T = unknown>(name: string, input?: unknown): Promise<{ status: number; body: { ok: true; value: T } | { ok: false; error: { code: string; message: string; details?: Record<string, unknown> } } }>;
  get(path: string): Promise<Response>;
}

export async function addAgent(server: TeamServer, name: string, role: Role): Promise<TestAgent> {
  const a = await server.agents.add(name, role);
  const headers = { authorization: `Bearer ${a.token}` };
  return {
    id: a.id,
    name: a.name,
    role: a.role,
    token: a.token,
    async call(callName, input = {}) {
      const res = await fetch(`${server.url}/v1/call/${callName}`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(input) });
      return { status: res.status, body: (await res.json()) as never };
    },
    get: (path) => fetch(`${server.url}${path}`, { headers }),
  };
}

/** A response body as JSON, for assertions (the shape is what the test asserts). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function jsonOf(res: Response): Promise<any> {
  return res.json();
}
