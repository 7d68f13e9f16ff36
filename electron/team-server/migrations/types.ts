import type pg from 'pg';

/** One numbered step of the team database schema; `up` runs inside the runner's transaction. */
export interface TeamMigration {
  version: number;
  name: string;
  up(client: pg.ClientBase): Promise<void>;
}
