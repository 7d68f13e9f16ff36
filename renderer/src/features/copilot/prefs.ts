import { create } from 'zustand';
import { COPILOT_LENGTHS, COPILOT_TONES, type CopilotLength, type CopilotTone } from '../../../../shared/contract/copilot';

// The agent's copilot preferences (tone, length: kept between sessions), and for each customer the
// reply being written and the message being composed (kept while the app runs, so switching
// customers or closing the panel never loses half-written text).

interface CopilotPrefs {
  tone: CopilotTone;
  length: CopilotLength;
  /** The reply to the customer, by customer id. */
  replies: Record<string, string>;
  /** What is in the composer (the customer's pasted message, a question), by customer id. */
  composing: Record<string, string>;
  setTone(tone: CopilotTone): void;
  setLength(length: CopilotLength): void;
  setReply(customerId: string, text: string): void;
  setComposing(customerId: string, text: string): void;
  /** Adds text to the reply (after a blank line when there is already some). */
  insertIntoReply(customerId: string, text: string): void;
}

function saved<T extends string>(key: string, allowed: readonly T[], fallback: T): T {
  const v = typeof localStorage !== 'undefined' ? localStorage.getItem(key) : null;
  return allowed.includes(v as T) ? (v as T) : fallback;
}

export const useCopilotPrefs = create<CopilotPrefs>((set) => ({
  tone: saved('copilot.tone', COPILOT_TONES, 'friendly'),
  length: saved('copilot.length', COPILOT_LENGTHS, 'medium'),
  replies: {},
  composing: {},
  setTone: (tone) => {
    localStorage.setItem('copilot.tone', tone);
    set({ tone });
  },
  setLength: (length) => {
    localStorage.setItem('copilot.length', length);
    set({ length });
  },
  setReply: (customerId, text) => set((s) => ({ replies: { ...s.replies, [customerId]: text } })),
  setComposing: (customerId, text) => set((s) => ({ composing: { ...s.composing, [customerId]: text } })),
  insertIntoReply: (customerId, text) =>
    set((s) => {
      const current = s.replies[customerId] ?? '';
      return { replies: { ...s.replies, [customerId]: current.trim() ? `${current.trimEnd()}\n\n${text.trim()}` : text.trim() } };
    }),
}));
