import { calls, isCallName, type CallName, type CallOutput, type CallParsedInput } from '../../../shared/contract';
import { AppError, type CallError, type CallResult } from '../../../shared/contract/errors';
import type { Logger } from './log';
import type { Redactor } from './redact';
import { issueInWords } from './input-words';

/** Who made the call: recorded in audit rows. */
export interface CallContext {
  actor: string;
}

export type Handler<N extends CallName> = (input: CallParsedInput<N>, ctx: CallContext) => CallOutput<N> | Promise<CallOutput<N>>;
export type HandlerMap = { [N in CallName]?: Handler<N> };

/**
 * The one table of handlers served by every transport (Electron IPC, the web harness, the CLI).
 * Registering a name twice is a start-up error; so is a name the contract does not declare.
 */
export class HandlerTable {
  private readonly handlers = new Map<CallName, Handler<CallName>>();

  constructor(
    private readonly log: Logger,
    private readonly redactor: Redactor,
  ) {}

  register(domain: string, map: HandlerMap): void {
    for (const [name, handler] of Object.entries(map)) {
      if (!isCallName(name)) throw new Error(`handlers(${domain}): "${name}" is not in the contract`);
      if (this.handlers.has(name)) throw new Error(`handlers(${domain}): "${name}" is already registered`);
      this.handlers.set(name, handler as Handler<CallName>);
    }
  }

  /**
   * Puts another handler in front of registered names (team mode forwards writes to the team
   * server). Only names already registered: a replacement cannot add a call nobody declared.
   */
  replace(domain: string, map: HandlerMap): void {
    for (const [name, handler] of Object.entries(map)) {
      if (!isCallName(name) || !this.handlers.has(name)) throw new Error(`handlers(${domain}): "${name}" is not registered, so it cannot be replaced`);
      this.handlers.set(name, handler as Handler<CallName>);
    }
  }

  /** The handler registered for a name (a replacement may fall back to it). */
  handler<N extends CallName>(name: N): Handler<N> | undefined {
    return this.handlers.get(name) as Handler<N> | undefined;
  }

  has(name: string): boolean {
    return isCallName(name) && this.handlers.has(name);
  }

  /** Names declared in the contract that no domain registered: checked at start-up. */
  missing(): CallName[] {
    return (Object.keys(calls) as CallName[]).filter((n) => !this.handlers.has(n));
  }

  /**
   * Validates and runs one call. Never throws: every failure becomes a typed `{code, message}`,
   * with secrets redacted, so a hostile or malformed payload cannot crash the main process.
   */
  async dispatch(name: unknown, rawInput: unknown, ctx: CallContext): Promise<CallResult<unknown>> {
    if (!isCallName(name) || !this.handlers.has(name)) {
      return { ok: false, error: { code: 'unknown_call', message: `Unknown call: ${String(name).slice(0, 80)}` } };
    }
    const parsed = parseCallInput(name, rawInput, this.redactor);
    if (!parsed.ok) return parsed;
    try {
      const value = await this.handlers.get(name)!(parsed.data as never, ctx);
      return { ok: true, value: this.redactor.value(value) };
    } catch (err) {
      return { ok: false, error: this.toCallError(name, err) };
    }
  }

  private toCallError(name: string, err: unknown): CallError {
    const typed = typedCallError(err, this.redactor);
    if (typed) return typed;
    this.log.error('call failed', { call: name, error: err });
    return { code: 'internal', message: 'Something went wrong on our side. The details are in the app log; your data is unchanged.' };
  }
}

/** A call's input checked against its contract schema; a refusal in words about the field, redacted. */
export function parseCallInput(name: CallName, rawInput: unknown, redactor: Redactor): { ok: true; data: unknown } | { ok: false; error: CallError } {
  const parsed = calls[name].input.safeParse(rawInput === undefined ? {} : rawInput);
  if (parsed.success) return { ok: true, data: parsed.data };
  const first = parsed.error.issues[0];
  return { ok: false, error: { code: 'bad_input', message: redactor.text(first ? issueInWords(first, rawInput) : 'The input was refused.') } };
}

/** A service's AppError as the contract's typed error, secrets redacted; null for anything else (a bug). */
export function typedCallError(err: unknown, redactor: Redactor): CallError | null {
  if (!(err instanceof AppError)) return null;
  return { code: err.code, message: redactor.text(err.message), ...(err.details ? { details: redactor.value(err.details) } : {}) };
}
