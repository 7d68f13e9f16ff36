import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrate } from '../../electron/services/db/migrate';
import { MIGRATIONS } from '../../electron/services/db/migrations';
import { sqlStringList } from '../../electron/services/db/sql-list';
import { OPEN_STAGES_SQL } from '../../electron/services/dunning/open-stages-sql';
import { DUNNING_STAGES, OPEN_DUNNING_STAGES } from '../../shared/contract/dunning';

// Lists that SQL needs (stages, currencies) are written once in the code and generated into SQL.
// Migrations are the exception: a shipped migration never changes, so its copy is checked here.

describe('SQL lists generated from the code', () => {
  it('writes an IN list of plain words', () => {
    expect(sqlStringList(['new', 'awaiting_customer'])).toBe("('new', 'awaiting_customer')");
    expect(OPEN_STAGES_SQL).toBe(`(${OPEN_DUNNING_STAGES.map((s) => `'${s}'`).join(', ')})`);
  });

  it('refuses anything that is not a plain word from the code, in words', () => {
    expect(() => sqlStringList(["o'clock"])).toThrow(/not a plain word.*bound parameter/);
    expect(() => sqlStringList(['usd', 'JPY'])).toThrow(/"JPY" is not a plain word/);
    expect(() => sqlStringList([''])).toThrow(/not a plain word/);
    expect(() => sqlStringList([])).toThrow(/empty IN list/);
  });

  it("the migrations' frozen copies of the stage lists still match the contract", () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS);
    const sqlOf = (name: string) => (db.prepare('SELECT sql FROM sqlite_master WHERE name = ?').get(name) as { sql: string }).sql;
    expect(sqlOf('dunning_one_open_per_subject')).toContain(`WHERE stage IN ${OPEN_STAGES_SQL}`);
    expect(sqlOf('dunning_cases')).toContain(`CHECK (stage IN ${sqlStringList(DUNNING_STAGES)})`);
    db.close();
  });
});
