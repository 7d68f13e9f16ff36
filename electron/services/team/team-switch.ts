import type { ServiceContext } from '../core/context';
import type { TeamConfig } from './team-config';

/** How a Settings → Team join or leave swaps the services without a restart (absent: CLI and harness teams). */
export interface TeamSwitch {
  /**
   * Builds the services of the other side (the team's cache, or the solo cache for null), runs
   * `commit` on them once they stand (stores or clears the joined team), then puts them in front
   * of the transports and closes the old ones. A failure before `commit` leaves everything as it was.
   */
  switchTo(team: TeamConfig | null, commit: (next: ServiceContext) => void): Promise<void>;
}
