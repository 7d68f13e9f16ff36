import { AppError } from '../../../../shared/contract/errors';
import { providerHost, type CopilotConfig } from './config';

// Model failures in words an agent can act on. The provider's own message is not passed through
// (it can echo request content); the status code and the host are enough to say what to fix.

interface ErrorLike {
  name?: string;
  message?: string;
  statusCode?: number;
  cause?: unknown;
  lastError?: unknown;
  errors?: unknown[];
  code?: string;
}

function unwrap(err: unknown): ErrorLike {
  let e = (err ?? {}) as ErrorLike;
  // RetryError keeps the last attempt's error; that one has the status code.
  for (let i = 0; i < 4 && e && e.name === 'AI_RetryError' && e.lastError; i++) e = e.lastError as ErrorLike;
  return e;
}

function networkCode(e: ErrorLike): string | null {
  let cur: unknown = e;
  for (let i = 0; i < 5 && cur; i++) {
    const c = cur as ErrorLike;
    if (c.code && /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|UND_ERR_SOCKET|UND_ERR_CONNECT_TIMEOUT)$/.test(c.code)) return c.code;
    if (c.message && /fetch failed|network|socket hang up|ECONNREFUSED|Cannot connect to API|other side closed/i.test(c.message) && !c.statusCode) return 'network';
    cur = c.cause;
  }
  return null;
}

export function toModelAppError(err: unknown, config: Pick<CopilotConfig, 'baseUrl' | 'model' | 'timeoutSeconds'>): AppError {
  if (err instanceof AppError) return err;
  const e = unwrap(err);
  const host = providerHost(config);
  if (e.name === 'TimeoutError' || /timeout of \d+ms exceeded/i.test(e.message ?? '')) {
    return new AppError('model_error', `The model did not answer within ${config.timeoutSeconds} seconds (${host}). Try again, choose a smaller model, or raise the timeout in Settings › Copilot.`);
  }
  if (e.name === 'AbortError') return new AppError('cancelled', 'Stopped.');
  const status = e.statusCode;
  if (status === 401 || status === 403) {
    return new AppError('unauthorized', `The model provider at ${host} rejected the key (HTTP ${status}). Check the key in Settings › Copilot.`, { status });
  }
  if (status === 404) {
    return new AppError('model_error', `The model "${config.model}" was not found at ${host} (HTTP 404). Check the model name in Settings › Copilot.`, { status });
  }
  if (status === 429) {
    return new AppError('rate_limited', `The model provider at ${host} is limiting requests (HTTP 429). Wait a moment and try again.`, { status });
  }
  if (status && status >= 500) {
    return new AppError('model_error', `The model provider at ${host} failed (HTTP ${status}). Try again in a moment.`, { status });
  }
  if (status && status >= 400) {
    return new AppError('model_error', `The model provider at ${host} refused the request (HTTP ${status}). The model may not support tools or structured output; try another model.`, { status });
  }
  const net = networkCode(e);
  if (net) {
    return new AppError('offline', `Could not reach the model at ${host}. Is the server running and the base URL right? The copilot answers from rules until it is back.`, { reason: net });
  }
  if (e.name === 'AI_NoObjectGeneratedError' || e.name === 'AI_NoOutputGeneratedError' || e.name === 'AI_TypeValidationError' || e.name === 'AI_JSONParseError') {
    return new AppError('model_error', `The model's answer did not have the expected shape. Try again, or choose a model that supports structured output.`);
  }
  return new AppError('model_error', `The model request failed (${host}). Try again; the details are in the app log.`);
}
