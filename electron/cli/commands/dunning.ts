import { DECLINE_CATEGORIES, DUNNING_STAGES, type DunningCaseRow } from '../../../shared/contract/dunning';
import { AppError } from '../../../shared/contract/errors';
import { formatMoney } from '../../../shared/domain/money';
import { CASE_COLUMNS, caseRecord, toCsv } from '../../services/dunning/csv';
import { UsageError, type CliCommand } from '../command';
import { openServices } from '../open-services';
import { agentName } from '../../services/workspace/agent-name';
import { changeDunningCase } from './dunning-change';

const PAGE = 1000;

function asList(value: unknown): string[] {
  if (value == null) return [];
  return (Array.isArray(value) ? value : [value]).flatMap((v) => String(v).split(',')).map((v) => v.trim()).filter(Boolean);
}

export const dunningCommand: CliCommand = {
  name: 'dunning',
  summary: 'the dunning queue: open cases by amount at risk (--json array, --csv with a header row)',
  usage: 'dunning [--csv] [--stage S[,S…]] [--category C[,C…]] [--currency CUR] | dunning assign <in_…> <agent name or agt_… id> | dunning stage <in_…> <stage>',
  options: { csv: { type: 'boolean' }, stage: { type: 'string', multiple: true }, category: { type: 'string', multiple: true }, currency: { type: 'string' } },
  async run({ positionals, values, globals, io }) {
    if (positionals[0] === 'assign' || positionals[0] === 'stage') return changeDunningCase(positionals[0], positionals.slice(1), globals, io);
    if (positionals.length) throw new UsageError(`dunning: unexpected argument ${positionals[0]}`);
    if (values.csv && globals.json) throw new UsageError('dunning: choose --json or --csv, not both');
    const stages = asList(values.stage);
    const categories = asList(values.category);
    for (const s of stages) if (!(DUNNING_STAGES as readonly string[]).includes(s)) throw new UsageError(`dunning: unknown stage "${s}". Stages: ${DUNNING_STAGES.join(', ')}`);
    for (const c of categories) if (!(DECLINE_CATEGORIES as readonly string[]).includes(c)) throw new UsageError(`dunning: unknown category "${c}". Categories: ${DECLINE_CATEGORIES.join(', ')}`);
    const filters = {
      ...(stages.length ? { stages } : {}),
      ...(categories.length ? { categories } : {}),
      ...(values.currency !== undefined ? { currency: values.currency } : {}),
    };

    const services = await openServices(globals, io, { machineOutput: Boolean(values.csv) });
    try {
      // Through the handler table (the same validation as the app), page by page.
      const rows: DunningCaseRow[] = [];
      for (let offset = 0; ; offset += PAGE) {
        const r = await services.table.dispatch('dunning.list', { filters, offset, limit: PAGE }, { actor: agentName(services.ctx) });
        if (!r.ok) throw new AppError(r.error.code, r.error.message, r.error.details);
        const page = r.value as { rows: DunningCaseRow[]; total: number };
        rows.push(...page.rows);
        if (page.rows.length < PAGE || rows.length >= page.total) break;
      }
      const records = rows.map(caseRecord);
      if (globals.json) io.out(JSON.stringify(records));
      else if (values.csv) io.out(toCsv(CASE_COLUMNS, records).replace(/\r\n$/, ''));
      else if (rows.length === 0) io.out('No open dunning cases.');
      else {
        for (const r of rows) {
          io.out(
            [
              (r.invoiceId ?? r.subscriptionId ?? '').padEnd(28),
              formatMoney(r.amountAtRisk, r.currency, 'en-US').padStart(14),
              r.category.padEnd(18),
              (r.declineCode ?? '—').padEnd(24),
              r.stage.padEnd(17),
              `${r.daysInDunning}d`.padStart(5),
              ` ${r.customerEmail ?? r.customerId}`,
              r.assignee ? ` (${r.assignee})` : '',
            ].join(' '),
          );
        }
        io.out(`${rows.length} case${rows.length === 1 ? '' : 's'}`);
      }
    } finally {
      await services.close();
    }
  },
};
