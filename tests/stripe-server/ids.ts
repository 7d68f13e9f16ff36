import crypto from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function base62(n: number, width: number): string {
  let s = '';
  for (let i = 0; i < width; i++) {
    s = ALPHABET[n % 62] + s;
    n = Math.floor(n / 62);
  }
  return s;
}

function randomChars(count: number): string {
  const bytes = crypto.randomBytes(count);
  let s = '';
  for (let i = 0; i < count; i++) s += ALPHABET[bytes[i] % 62];
  return s;
}

/**
 * Ids shaped like Stripe's (`cus_…`, 14+ chars after the prefix). The first part is a counter, so
 * ids made later compare greater: together with a monotonic clock, "newest first by created, then
 * id" is creation order, and a client walking the event list forward never misses an event created
 * in the same second as its cursor.
 */
export class IdGenerator {
  private counter = 0;

  next(prefix: string): string {
    this.counter += 1;
    return `${prefix}_${base62(this.counter, 6)}${randomChars(10)}`;
  }
}

export function requestId(): string {
  return `req_${randomChars(14)}`;
}
