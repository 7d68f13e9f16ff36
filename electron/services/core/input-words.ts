import type { z } from 'zod';

// A refused input is shown to an agent, so it must read as words about their field ("Name is too
// long: at most 80 characters"), not as a schema sentence ("Too big: expected string to have
// <=80 characters"). Messages a schema wrote itself (refinements, custom messages) are kept as they
// are: only zod's own default wording is rewritten.

const ZOD_DEFAULT = /^(Too big|Too small|Invalid input|Invalid option|Unrecognized key|Invalid (URL|email|string|number|format)|Invalid UUID|Invalid ISO|Invalid (date|datetime))/i;

/** "returnUrl" → "Return URL", ["filters","amountMin"] → "Amount min" (the field the agent typed in). */
export function fieldLabel(path: ReadonlyArray<PropertyKey>): string {
  const last = [...path].reverse().find((p) => typeof p === 'string') as string | undefined;
  if (!last) return 'The input';
  const words = last
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase()
    .replace(/\b(url|id|ids|csv|api)\b/g, (w) => w.toUpperCase());
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function valueAt(input: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let v: unknown = input;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}

const n = (x: unknown) => (typeof x === 'bigint' || typeof x === 'number' ? Number(x).toLocaleString('en-US') : String(x));

/** One refused input, in words. `input` is what was sent (for "this one has N characters"). */
export function issueInWords(issue: z.core.$ZodIssue, input: unknown): string {
  if (!ZOD_DEFAULT.test(issue.message)) {
    return issue.path.length ? `${fieldLabel(issue.path)}: ${issue.message}` : issue.message;
  }
  const field = fieldLabel(issue.path);
  const value = valueAt(input, issue.path);
  switch (issue.code) {
    case 'too_big':
      if (issue.origin === 'string') {
        const has = typeof value === 'string' ? ` (this one has ${n(value.length)})` : '';
        return `${field} is too long: at most ${n(issue.maximum)} characters${has}.`;
      }
      if (issue.origin === 'array' || issue.origin === 'set') return `${field}: at most ${n(issue.maximum)} at a time.`;
      return `${field} must be at most ${n(issue.maximum)}.`;
    case 'too_small':
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? `${field} is empty.` : `${field} is too short: at least ${n(issue.minimum)} characters.`;
      if (issue.origin === 'array' || issue.origin === 'set') return Number(issue.minimum) <= 1 ? `${field}: choose at least one.` : `${field}: choose at least ${n(issue.minimum)}.`;
      return `${field} must be at least ${n(issue.minimum)}.`;
    case 'invalid_value':
      return `${field} must be one of: ${issue.values.map((v) => String(v)).join(', ')}.`;
    case 'invalid_format':
      if (issue.format === 'url') return `${field} must be a web address like https://example.com.`;
      if (issue.format === 'email') return `${field} must be an email address.`;
      if (issue.format === 'regex') return `${field} is not in the expected form.`;
      return `${field} is not a valid ${issue.format}.`;
    case 'unrecognized_keys':
      return `Unexpected field${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.slice(0, 5).join(', ')}.`;
    case 'invalid_type':
      return value === undefined ? `${field} is missing.` : `${field} must be ${issue.expected === 'int' ? 'a whole number' : `a ${issue.expected}`}.`;
    default:
      return issue.path.length ? `${field}: ${issue.message}` : issue.message;
  }
}
