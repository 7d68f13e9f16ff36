import { create } from 'zustand';
import type { CopilotConfirmResult } from '../../../../shared/contract/copilot';

// What became of each proposed action, by proposal id, kept outside the card: the card is rebuilt
// when the panel is closed and opened again, when the agent looks at another customer and comes
// back, and when a reply is drafted again. A confirmed portal link must still show as done, with
// its link, instead of offering Confirm a second time.

export type ProposalState = 'proposed' | 'confirming' | 'confirmed' | 'dismissed' | 'failed';

export interface ProposalOutcome {
  state: ProposalState;
  result: CopilotConfirmResult | null;
  error: string | null;
}

interface OutcomesState {
  byId: Record<string, ProposalOutcome>;
  record(proposalId: string, outcome: Partial<ProposalOutcome>): void;
}

const FRESH: ProposalOutcome = { state: 'proposed', result: null, error: null };

export const useProposalOutcomes = create<OutcomesState>((set) => ({
  byId: {},
  record: (proposalId, outcome) => set((s) => ({ byId: { ...s.byId, [proposalId]: { ...FRESH, ...s.byId[proposalId], ...outcome } } })),
}));

/** True once the agent has acted on the proposal (a write ran or is running): its card must stay in the thread. */
export function wasActedOn(proposalId: string | undefined): boolean {
  if (!proposalId) return false;
  const state = useProposalOutcomes.getState().byId[proposalId]?.state;
  return state === 'confirmed' || state === 'confirming';
}
