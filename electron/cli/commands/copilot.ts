import { AppError } from '../../../shared/contract/errors';
import { COPILOT_LENGTHS, COPILOT_TONES, type CopilotAnalysis } from '../../../shared/contract/copilot';
import { UsageError, type CliCommand } from '../command';
import { openServices } from '../open-services';
import { agentName } from '../../services/workspace/agent-name';
import { snakeKeys } from '../snake-case';

// `copilot <customer> --message "…"`: the copilot's understanding, proposed actions and draft for one
// customer message, from the model in OPENAI_API_KEY / OPENAI_BASE_URL / COPILOT_MODEL, or from the
// rules and templates when none is set (or with --rules). Proposed actions are never run here.

export const copilotCommand: CliCommand = {
  name: 'copilot',
  summary: 'understand a customer message, propose actions and draft a reply (model or rules)',
  usage: 'copilot <cus_…> --message "…" [--tone friendly|neutral|formal] [--length short|medium|long] [--rules]',
  options: { message: { type: 'string', short: 'm' }, tone: { type: 'string' }, length: { type: 'string' }, rules: { type: 'boolean' } },
  async run({ positionals, values, globals, io }) {
    const [customerId, ...extra] = positionals;
    if (!customerId) throw new UsageError('copilot: which customer? Pass a customer id (cus_…).');
    if (extra.length) throw new UsageError(`copilot: one customer at a time (unexpected: ${extra.join(' ')}). Quote the message: --message "…"`);
    const message = typeof values.message === 'string' ? values.message : '';
    if (!message.trim()) throw new UsageError('copilot: pass the customer message with --message "…"');
    const tone = (values.tone as string | undefined) ?? 'friendly';
    const length = (values.length as string | undefined) ?? 'medium';
    if (!(COPILOT_TONES as readonly string[]).includes(tone)) throw new UsageError(`copilot: --tone must be one of ${COPILOT_TONES.join(', ')}`);
    if (!(COPILOT_LENGTHS as readonly string[]).includes(length)) throw new UsageError(`copilot: --length must be one of ${COPILOT_LENGTHS.join(', ')}`);

    const services = await openServices(globals, io);
    try {
      const result = await services.table.dispatch('copilot.analyze', { customerId, message, tone, length, rulesOnly: Boolean(values.rules) }, { actor: agentName(services.ctx) });
      if (!result.ok) throw new AppError(result.error.code, result.error.message, result.error.details);
      const a = result.value as CopilotAnalysis;
      if (globals.json) {
        io.out(
          JSON.stringify({
            intent: a.intent,
            entities: snakeKeys(a.entities),
            actions: snakeKeys(a.actions),
            draft: a.draft.text,
            citations: snakeKeys(a.draft.citations),
            mode: a.mode,
            model: a.model,
            notice: a.notice,
          }),
        );
        return;
      }
      io.out(`intent    ${a.intent}   (${a.mode === 'model' ? `model ${a.model}` : 'rules and templates: no model configured'})`);
      const e = Object.entries(a.entities).filter(([, v]) => v != null);
      io.out(`entities  ${e.length ? e.map(([k, v]) => `${k}=${String(v)}`).join('  ') : '—'}`);
      io.out(`actions   ${a.actions.length ? '' : '—'}`);
      for (const [i, x] of a.actions.entries()) {
        io.out(`  ${i + 1}. ${x.title}${x.requiresConfirmation ? '  [needs confirmation in the app]' : ''}`);
        io.out(`     ${x.reason}`);
      }
      if (a.notice) io.out(`note      ${a.notice}`);
      io.out('');
      io.out(a.draft.text);
    } finally {
      await services.close();
    }
  },
};
