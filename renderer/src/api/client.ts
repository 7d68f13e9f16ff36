import type { CallError, CallInput, CallName, CallOutput, StreamChannel, StreamPayloads } from '../../../shared/contract';
import { transport } from './transport';

/** A failed call, with the typed code the UI maps to words and a next step. */
export class CallFailure extends Error {
  constructor(readonly error: CallError) {
    super(error.message);
    this.name = 'CallFailure';
  }
  get code() {
    return this.error.code;
  }
}

/** Typed client: `api.call('customers.get', {customerId})` resolves to the contract's output type. */
export const api = {
  async call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>> {
    const result = await transport.call(name, input);
    if (!result.ok) throw new CallFailure(result.error);
    return result.value as CallOutput<N>;
  },
  on<C extends StreamChannel>(channel: C, listener: (payload: StreamPayloads[C]) => void): () => void {
    return transport.subscribe(channel, listener);
  },
  transportKind: transport.kind,
};

export function errorMessage(err: unknown): string {
  if (err instanceof CallFailure) return err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}
