import type { ServiceContext } from '../core/context';
import { isOpenDunningStage, type DunningCaseDetail } from '../../../shared/contract/dunning';
import { AppError } from '../../../shared/contract/errors';
import { describeAdviceCode, describeDeclineCode } from '../../../shared/domain/decline-codes';
import { caseHistory, getCase } from './case-store';
import { caseNotes } from './manual-actions';
import { currentPaymentMethod } from './payment-method';
import { selectRows } from './queue-query';
import { retryEligibility } from './retry-policy';

/** One case with what the panel shows: the decline in words, whether a retry is allowed, notes, history. */
export function getDunningCase(ctx: ServiceContext, caseId: number): DunningCaseDetail {
  const c = getCase(ctx.db, caseId);
  if (!c || c.account_id !== ctx.workspace.current().id) throw new AppError('not_found', `No dunning case ${caseId} in this account.`);
  const nowS = Math.floor(ctx.now() / 1000);
  const [row] = selectRows(ctx.db, [caseId], nowS);
  const currentPm = currentPaymentMethod(ctx.db, c);
  const eligibility = retryEligibility({ category: c.category, declineCode: c.decline_code, paymentMethodAtDecline: c.payment_method_at_decline, currentPaymentMethod: currentPm });
  const retry = !isOpenDunningStage(c.stage)
    ? { allowed: false, paymentMethodChanged: eligibility.paymentMethodChanged, reason: `The case is ${c.stage}; there is nothing to retry.` }
    : !c.invoice_id
      ? { allowed: false, paymentMethodChanged: eligibility.paymentMethodChanged, reason: "The subscription's unpaid invoice is not in the cache yet; refresh the customer." }
      : eligibility;
  return {
    ...row!,
    declineExplanation: describeDeclineCode(c.decline_code),
    adviceExplanation: describeAdviceCode(c.advice_code),
    paymentMethodAtDecline: c.payment_method_at_decline,
    currentPaymentMethod: currentPm,
    retry,
    notes: caseNotes(ctx, caseId),
    history: caseHistory(ctx.db, caseId),
  };
}
