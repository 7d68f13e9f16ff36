import crypto from 'node:crypto';
import type { Redactor } from '../../core/redact';

// The customer's message is DATA. It goes to the model inside a tag carrying a random nonce, so
// text in the message cannot close the tag and pose as instructions; anything shaped like a key is
// masked first (a customer, or an attacker, may paste one), and the length is bounded.

export interface WrappedMessage {
  text: string;
  nonce: string;
  truncated: boolean;
}

export const MAX_MESSAGE_CHARS = 8000;

export function newNonce(): string {
  return crypto.randomBytes(6).toString('hex');
}

export function sanitizeUntrusted(message: string, redactor: Redactor, maxChars = MAX_MESSAGE_CHARS): { text: string; truncated: boolean } {
  let text = redactor.text(message)
    // Control characters (other than newline and tab) can hide text from the agent reading the draft.
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, '')
    // Tags that look like ours are defused, whatever their nonce.
    .replace(/<\s*\/?\s*(customer_message|system|instructions?|assistant|tool)[^>]*>/gi, (m) => m.replace(/</g, '‹').replace(/>/g, '›'));
  let truncated = false;
  if (text.length > maxChars) {
    text = `${text.slice(0, maxChars)}\n[… message truncated: ${text.length - maxChars} more characters not shown]`;
    truncated = true;
  }
  return { text, truncated };
}

export function wrapUntrusted(message: string, redactor: Redactor, nonce: string, maxChars = MAX_MESSAGE_CHARS): WrappedMessage {
  const { text, truncated } = sanitizeUntrusted(message, redactor, maxChars);
  return { text: `<customer_message id="${nonce}">\n${text}\n</customer_message id="${nonce}">`, nonce, truncated };
}
