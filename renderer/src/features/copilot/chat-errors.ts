import { CallFailure } from '../../api/client';

// A failed copilot turn in words: what happened (the services already say it: "The model server at
// 127.0.0.1:11434 did not answer within 60 s") and what the agent can do next.

export interface ChatProblem {
  text: string;
  next: string;
}

const NEXT_BY_CODE: Record<string, string> = {
  not_configured: 'Open Settings › Copilot to choose a provider, or clear the model to use the rules and templates.',
  unauthorized: 'The provider refused the key. Enter a new key in Settings › Copilot.',
  offline: 'The model server could not be reached. Check that it is running, or try again.',
  rate_limited: 'The provider asked to slow down. Wait a moment and try again.',
  model_error: 'The model failed. Try again; the rules still answer when no model is configured.',
  not_found: 'This customer is not in the cache any more. Search for them again.',
  bad_input: 'Nothing was sent. Shorten the message or start a new conversation.',
  cancelled: 'You stopped this reply.',
};

export function chatProblem(error: Error): ChatProblem {
  const code = error instanceof CallFailure ? error.code : null;
  const text = error.message?.trim() || 'The copilot could not answer.';
  if (code && NEXT_BY_CODE[code]) return { text, next: NEXT_BY_CODE[code]! };
  if (/failed to fetch|network|load failed/i.test(text)) return { text: 'The app could not reach its own services.', next: 'Try again; if it keeps failing, restart the app.' };
  // An error in the middle of a stream arrives as words only: the draft above may be cut short.
  return { text, next: 'What was drafted so far is kept above. Try again, or check Settings › Copilot.' };
}
