import fc from 'fast-check';

// A fast-check arbitrary from a JSON Schema (what `z.toJSONSchema` gives for a contract input),
// so fuzzing also reaches the handlers with inputs the schema accepts but nobody thought of.
// It covers the subset the contract uses: objects, strings (enum, pattern, length), integers,
// numbers, booleans, null, arrays, anyOf/oneOf, const.

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
}

/** Extra candidates for a string pattern (e.g. real customer ids for ^cus_…). Overrides replace top-level fields. */
export type PatternHints = (pattern: string) => fc.Arbitrary<string> | null;

export function arbitraryFromSchema(schema: JsonSchema, hints: PatternHints = () => null, overrides: Record<string, fc.Arbitrary<unknown>> = {}): fc.Arbitrary<unknown> {
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((s) => arbitraryFromSchema(s, hints)));
  if ('const' in schema) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object': {
      const props = schema.properties ?? {};
      const required = new Set(schema.required ?? []);
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, sub] of Object.entries(props)) record[key] = overrides[key] ?? arbitraryFromSchema(sub, hints);
      return fc.record(record, { requiredKeys: [...required].filter((k) => k in props) });
    }
    case 'string': {
      if (schema.pattern) {
        const generated = fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length <= (schema.maxLength ?? Infinity));
        const hinted = hints(schema.pattern);
        return hinted ? fc.oneof(hinted, generated) : generated;
      }
      const min = schema.minLength ?? 0;
      const max = Math.min(schema.maxLength ?? 200, Math.max(min, 300));
      return fc.oneof(fc.string({ minLength: min, maxLength: Math.min(max, min + 20) }), fc.string({ unit: 'grapheme', minLength: min, maxLength: max }));
    }
    case 'integer': {
      const min = schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : (schema.minimum ?? -1_000_000);
      const max = schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - 1 : (schema.maximum ?? 1_000_000);
      const safeMax = Math.min(max, Number.MAX_SAFE_INTEGER);
      // Mostly small values (they hit real rows), sometimes the edges.
      return fc.oneof(fc.integer({ min, max: Math.min(safeMax, min + 60) }), fc.constantFrom(min, safeMax), fc.integer({ min, max: Math.min(safeMax, 2 ** 31 - 1) }));
    }
    case 'number':
      return fc.double({ min: schema.minimum ?? -1e9, max: schema.maximum ?? 1e9, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const minLength = schema.minItems ?? 0;
      return fc.array(schema.items ? arbitraryFromSchema(schema.items, hints) : fc.jsonValue(), { minLength, maxLength: Math.min(schema.maxItems ?? 5, Math.max(minLength, 5)) });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}
