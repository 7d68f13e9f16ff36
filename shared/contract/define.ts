import type { z } from 'zod';

/** One call of the contract: the zod schema of its input and (type-only) its output. */
export interface CallSpec<I extends z.ZodType = z.ZodType, O = unknown> {
  input: I;
  /** Never set at run time: carries the output type for the typed client. */
  readonly __output?: O;
}

/** `call<Output>()(inputSchema)`: the output type is given explicitly, the input inferred. */
export function call<O>() {
  return <I extends z.ZodType>(input: I): CallSpec<I, O> => ({ input });
}

/**
 * Merges the per-domain call fragments into the one contract, refusing a name declared twice
 * (a silent override would route one domain's calls to another's handler).
 */
export function defineContract<T extends Record<string, CallSpec>[]>(...fragments: T): UnionToIntersection<T[number]> {
  const merged: Record<string, CallSpec> = {};
  for (const fragment of fragments) {
    for (const [name, spec] of Object.entries(fragment)) {
      if (name in merged) throw new Error(`contract: call "${name}" is declared twice`);
      merged[name] = spec;
    }
  }
  return merged as UnionToIntersection<T[number]>;
}

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
