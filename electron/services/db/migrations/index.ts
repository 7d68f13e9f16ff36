import type { Migration } from './types';
import { migration001 } from './001-initial-schema';
import { migration002 } from './002-customer-search';
import { migration003 } from './003-sync';
import { migration004 } from './004-dunning-queue';
import { migration005 } from './005-portal-links-idempotency';
import { migration006 } from './006-copilot';
import { migration007 } from './007-account-modes';
import { migration008 } from './008-team-replica';

// Append new migrations here, never edit an applied one: a user's cache was built by it.
export const MIGRATIONS: readonly Migration[] = [migration001, migration002, migration003, migration004, migration005, migration006, migration007, migration008];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
