import { Chat } from '@ai-sdk/react';
import { CopilotChatTransport, type CopilotUIMessage } from '../../api/copilot-chat-transport';
import { useCopilotPrefs } from './prefs';

// One conversation per customer, kept while the app runs: closing the panel or looking at another
// customer and coming back shows the same thread. The oldest ones are dropped past a limit.

const MAX_CHATS = 20;
const chats = new Map<string, Chat<CopilotUIMessage>>();

export function chatFor(customerId: string): Chat<CopilotUIMessage> {
  const existing = chats.get(customerId);
  if (existing) {
    // Most recently used last.
    chats.delete(customerId);
    chats.set(customerId, existing);
    return existing;
  }
  const transport = new CopilotChatTransport(() => {
    const { tone, length } = useCopilotPrefs.getState();
    return { customerId, tone, length };
  });
  const chat = new Chat<CopilotUIMessage>({ id: `copilot-${customerId}`, transport });
  chats.set(customerId, chat);
  for (const [id, old] of chats) {
    if (chats.size <= MAX_CHATS) break;
    if (old.status === 'streaming' || old.status === 'submitted') continue;
    chats.delete(id);
  }
  return chat;
}
