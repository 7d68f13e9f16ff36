import { AppError } from '../../../../shared/contract/errors';
import { TeamSignedOutError, TeamUnreachableError, type TeamClient } from '../../team/team-client';
import type { CopilotConfig } from './config';

// The copilot on a team desk: the desk holds no model key, so the model is the team's, reached
// through the team server's OpenAI-compatible proxy with the agent token as the key (the proxy
// swaps in the team's key and records the agent's usage). Which model is an admin's choice on the
// server: the desk asks the proxy's model list before each answer, so a change there is followed
// at once, as the proxy itself reads its settings per request. The desk's own saved model settings,
// its environment's OPENAI_* and any key in its keychain are never used here.

export type TeamModelClient = Pick<TeamClient, 'url' | 'modelProxy' | 'teamModel'>;

/** What the team server said about its model: the name, or why the copilot cannot use it now. */
export interface TeamModelState {
  model: string | null;
  problem: string | null;
}

export const TEAM_HAS_NO_MODEL = 'The team has no model set up yet: a team admin sets OPENAI_API_KEY (and COPILOT_MODEL) on the team server.';

/** Asks the team server which model the team uses; never throws (a failure is the state's problem, in words). */
export async function learnTeamModel(client: TeamModelClient): Promise<TeamModelState> {
  try {
    const model = await client.teamModel();
    return { model, problem: model ? null : TEAM_HAS_NO_MODEL };
  } catch (err) {
    if (err instanceof TeamSignedOutError) return { model: null, problem: "The team server refused this desk's agent token (unknown or revoked), so the team's model cannot answer. Ask a team admin for a new token." };
    if (err instanceof TeamUnreachableError) return { model: null, problem: "The team server cannot be reached, so the team's model cannot answer right now." };
    if (err instanceof AppError) return { model: null, problem: `The team server did not name its model: ${err.message}` };
    throw err;
  }
}

/** The copilot's configuration on a team desk: the proxy, the agent token, the team's model. */
export function teamCopilotConfig(client: TeamModelClient, state: TeamModelState, timeoutSeconds: number): CopilotConfig {
  const proxy = client.modelProxy();
  return {
    source: 'team',
    provider: 'compatible',
    baseUrl: proxy.baseUrl,
    model: state.model ?? '',
    // Chat Completions: what every OpenAI-compatible provider behind the proxy speaks.
    api: 'chat',
    // The team's knowledge base is searched by its words on the desk (its replica); no embeddings.
    embeddingModel: null,
    timeoutSeconds,
    apiKey: proxy.apiKey,
    configured: Boolean(state.model) && state.problem === null,
    envOverrides: [],
    keyOrigin: null,
    storedKeyHint: null,
    problem: state.problem,
  };
}
