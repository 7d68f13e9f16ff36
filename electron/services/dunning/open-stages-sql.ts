import { OPEN_DUNNING_STAGES } from '../../../shared/contract/dunning';
import { sqlStringList } from '../db/sql-list';

/**
 * `('new', 'contacted', 'awaiting_customer')`: the open stages for `stage IN …`, generated from the
 * contract's list. Migration 004's unique partial index (one open case per subject) keeps its own
 * literal copy on purpose, since a migration must not change after it shipped; a unit test holds the
 * two equal.
 */
export const OPEN_STAGES_SQL = sqlStringList(OPEN_DUNNING_STAGES);
