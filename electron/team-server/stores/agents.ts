import { createHash, randomBytes } from 'node:crypto';
import type pg from 'pg';
import { AppError } from '../../../shared/contract/errors';
import { isRole, type Role } from '../roles';
import '../pg-types';

// Agents of the team and their tokens. A token is shown once, at creation; the database keeps
// only its SHA-256 (tokens are 256 random bits, so a fast hash is enough — there is nothing to
// guess). Revoking notifies every instance (channel bsc_agents) so open streams close at once.

export interface Agent {
  id: string;
  name: string;
  role: Role;
  createdAt: string;
  revokedAt: string | null;
}

export interface NewAgent extends Agent {
  /** The bearer token: printed once, never stored. */
  token: string;
}

export interface AgentStore {
  add(name: string, role: Role): Promise<NewAgent>;
  list(): Promise<Agent[]>;
  revoke(id: string): Promise<Agent>;
  /** The active agent holding this token, or null (unknown or revoked). */
  authenticate(token: string): Promise<Agent | null>;
  byName(name: string): Promise<Agent | null>;
  /** An active agent by id (agt_…) or, failing that, by name. */
  find(idOrName: string): Promise<Agent | null>;
}

export const AGENTS_CHANNEL = 'bsc_agents';
const TOKEN_PREFIX = 'bsct_';

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Looks like a team token (so a Stripe or model key pasted by mistake is refused before any lookup). */
export function looksLikeTeamToken(token: string): boolean {
  return /^bsct_[A-Za-z0-9_-]{43}$/.test(token);
}

interface AgentRow {
  id: string;
  name: string;
  role: string;
  created_at: Date;
  revoked_at: Date | null;
}

function toAgent(r: AgentRow): Agent {
  return { id: r.id, name: r.name, role: r.role as Role, createdAt: r.created_at.toISOString(), revokedAt: r.revoked_at?.toISOString() ?? null };
}

export function validateAgentName(name: string): string {
  const trimmed = name.trim();
  if (!trimmed) throw new AppError('bad_input', 'An agent needs a name (--name "Ana Lima").');
  if (trimmed.length > 80) throw new AppError('bad_input', `An agent's name is at most 80 characters (this one has ${trimmed.length}).`);
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) throw new AppError('bad_input', "An agent's name cannot contain control characters.");
  return trimmed;
}

export class PgAgentStore implements AgentStore {
  constructor(private readonly pool: pg.Pool) {}

  async add(name: string, role: Role): Promise<NewAgent> {
    const clean = validateAgentName(name);
    if (!isRole(role)) throw new AppError('bad_input', `A role is agent, lead or admin (not "${String(role)}").`);
    const id = 'agt_' + randomBytes(9).toString('base64url');
    const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
    try {
      const { rows } = await this.pool.query<AgentRow>(
        'INSERT INTO agents (id, name, role, token_hash) VALUES ($1, $2, $3, $4) RETURNING id, name, role, created_at, revoked_at',
        [id, clean, role, hashToken(token)],
      );
      return { ...toAgent(rows[0]), token };
    } catch (err) {
      if ((err as { constraint?: string }).constraint === 'agents_active_name') {
        throw new AppError('conflict', `An active agent is already called "${clean}". Choose another name, or revoke that agent first.`);
      }
      throw err;
    }
  }

  async list(): Promise<Agent[]> {
    const { rows } = await this.pool.query<AgentRow>('SELECT id, name, role, created_at, revoked_at FROM agents ORDER BY created_at, id');
    return rows.map(toAgent);
  }

  async revoke(id: string): Promise<Agent> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<AgentRow>(
        'UPDATE agents SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 RETURNING id, name, role, created_at, revoked_at',
        [id],
      );
      if (rows.length === 0) throw new AppError('not_found', `No agent ${id}. \`billing-console team agent list\` shows the agents.`);
      await client.query('SELECT pg_notify($1, $2)', [AGENTS_CHANNEL, id]);
      await client.query('COMMIT');
      return toAgent(rows[0]);
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }

  async authenticate(token: string): Promise<Agent | null> {
    if (!looksLikeTeamToken(token)) return null;
    const { rows } = await this.pool.query<AgentRow>(
      'SELECT id, name, role, created_at, revoked_at FROM agents WHERE token_hash = $1 AND revoked_at IS NULL',
      [hashToken(token)],
    );
    return rows[0] ? toAgent(rows[0]) : null;
  }

  async byName(name: string): Promise<Agent | null> {
    const { rows } = await this.pool.query<AgentRow>(
      'SELECT id, name, role, created_at, revoked_at FROM agents WHERE lower(name) = lower($1) AND revoked_at IS NULL',
      [name.trim()],
    );
    return rows[0] ? toAgent(rows[0]) : null;
  }

  async find(idOrName: string): Promise<Agent | null> {
    if (/^agt_[A-Za-z0-9_-]{6,40}$/.test(idOrName.trim())) {
      const { rows } = await this.pool.query<AgentRow>('SELECT id, name, role, created_at, revoked_at FROM agents WHERE id = $1 AND revoked_at IS NULL', [idOrName.trim()]);
      if (rows[0]) return toAgent(rows[0]);
    }
    return this.byName(idOrName);
  }
}
