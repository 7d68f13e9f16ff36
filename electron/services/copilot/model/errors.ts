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
  /** The AI SDK's APICallError keeps the response headers (the team server's refusal names its realm). */
  responseHeaders?: Record<string, string>;
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

export function toModelAppError(err: unknown, config: Pick<CopilotConfig, 'baseUrl' | 'model' | 'timeoutSeconds'> & Partial<Pick<CopilotConfig, 'source'>>): AppError {
  if (err instanceof AppError) return err;
  const e = unwrap(err);
  const host = providerHost(config);
  if (e.name === 'TimeoutError' || /timeout of \d+ms exceeded/i.test(e.message ?? '')) {
    return new AppError('model_error', `The model did not answer within ${config.timeoutSeconds} seconds (${host}). Try again, choose a smaller model, or raise the timeout in Settings › Copilot.`);
  }
  if (e.name === 'AbortError') return new AppError('cancelled', 'Stopped.');
  if (config.source === 'team') {
    const team = teamModelError(e, config);
    if (team) return team;
  }
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

/**
 * A team desk reaches the team's model through the team server's proxy: the agent token is the key
 * and the model is an admin's choice, so a failure says whose it is (this desk's token, the team
 * server, or the team's provider) and who can fix it. Null: the solo words fit (a bad answer shape).
 */
function teamModelError(e: ErrorLike, config: Pick<CopilotConfig, 'baseUrl' | 'model'>): AppError | null {
  const status = e.statusCode;
  const host = providerHost(config);
  const byTeamServer = /realm="team"/.test(e.responseHeaders?.['www-authenticate'] ?? '');
  if ((status === 401 || status === 403) && byTeamServer) {
    return new AppError('forbidden', "The team server refused this desk's agent token (unknown or revoked), so the team's model cannot answer. Ask a team admin for a new token.", { status });
  }
  if (status === 401 || status === 403) {
    return new AppError('unauthorized', `The team's model provider rejected the team's key (HTTP ${status}). A team admin checks the model key on the team server.`, { status });
  }
  if (status === 404) return new AppError('model_error', `The team's model "${config.model}" was not found at its provider (HTTP 404). A team admin checks the model on the team server.`, { status });
  if (status === 429) return new AppError('rate_limited', "The team's model is limiting requests (HTTP 429). Wait a moment and try again.", { status });
  if (status === 503) return new AppError('not_configured', 'The team has no model configured: an admin sets it on the team server. The copilot answers from rules until then.', { status });
  if (status === 502) return new AppError('model_error', "The team server could not reach the team's model provider (HTTP 502). Try again in a moment.", { status });
  if (status && status >= 500) return new AppError('model_error', `The team's model provider failed (HTTP ${status}). Try again in a moment.`, { status });
  if (status && status >= 400) {
    return new AppError('model_error', `The team's model refused the request (HTTP ${status}). It may not support tools or structured output; a team admin can choose another model.`, { status });
  }
  const net = networkCode(e);
  if (net) return new AppError('offline', `Could not reach the team server at ${host} for the team's model. The copilot answers from rules until it is back.`, { reason: net });
  return null;
}
