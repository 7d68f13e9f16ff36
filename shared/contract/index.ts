import type { z } from 'zod';
import { defineContract, type CallSpec } from './define';
import { workspaceCalls } from './workspace';
import { customerCalls } from './customers';
import { syncCalls } from './sync';
import { dunningCalls } from './dunning';
import { portalCalls } from './portal';
import { copilotCalls } from './copilot';
import { teamCalls } from './team';

/** The one contract between the renderer and the services: every call, its input schema and output type. */
export const calls = defineContract(workspaceCalls, customerCalls, syncCalls, dunningCalls, portalCalls, copilotCalls, teamCalls);

export type Calls = typeof calls;
export type CallName = keyof Calls & string;
/** What the caller may pass (before defaults are applied). */
export type CallInput<N extends CallName> = z.input<Calls[N]['input']>;
/** What the handler receives (after validation and defaults). */
export type CallParsedInput<N extends CallName> = z.output<Calls[N]['input']>;
export type CallOutput<N extends CallName> = Calls[N] extends CallSpec<z.ZodType, infer O> ? O : never;

export const CALL_NAMES = Object.keys(calls) as CallName[];

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(calls, name);
}

export * from './errors';
export * from './streams';
export * from './workspace';
export * from './customers';
export * from './sync';
export * from './dunning';
export * from './portal';
export * from './copilot';
export * from './team';
export * from './team-presence';
