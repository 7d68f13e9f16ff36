import type { Migration } from './types';
import { migration001 } from './001-initial-schema';

// Append new migrations here, never edit an applied one: a user's cache was built by it.
export const MIGRATIONS: readonly Migration[] = [migration001];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
