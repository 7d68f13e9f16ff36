import { OPEN_DUNNING_STAGES, type DunningStage } from '../../../../shared/contract/dunning';

/** A case still being worked (the contract's open stages): retry, move and assign apply to it. */
export function isOpenStage(stage: DunningStage): boolean {
  return (OPEN_DUNNING_STAGES as readonly DunningStage[]).includes(stage);
}
