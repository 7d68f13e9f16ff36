import { describe, expect, it } from 'vitest';
import { HandlerTable } from '../../electron/services/core/handler-table';
import { silentLogger } from '../../electron/services/core/log';
import { Redactor } from '../../electron/services/core/redact';
import { AppError } from '../../shared/contract/errors';
import { defineContract, call } from '../../shared/contract/define';
import { z } from 'zod';

const ctx = { actor: 'tester' };

describe('handler table', () => {
  it('refuses a name registered twice, at start-up', () => {
    const table = new HandlerTable(silentLogger, new Redactor());
    table.register('a', { 'workspace.setAgentName': ({ name }) => ({ agentName: name }) });
    expect(() => table.register('b', { 'workspace.setAgentName': ({ name }) => ({ agentName: name }) })).toThrow(/already registered/);
  });

  it('refuses a name the contract does not declare', () => {
    const table = new HandlerTable(silentLogger, new Redactor());
    expect(() => table.register('x', { 'no.such.call': () => 1 } as never)).toThrow(/not in the contract/);
  });

  it('validates input and answers a typed error instead of running the handler', async () => {
    const table = new HandlerTable(silentLogger, new Redactor());
    let ran = false;
    table.register('a', {
      'workspace.setAgentName': ({ name }) => {
        ran = true;
        return { agentName: name };
      },
    });
    expect(await table.dispatch('workspace.setAgentName', { name: 42 }, ctx)).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    expect(await table.dispatch('workspace.setAgentName', { name: 'x', extra: 1 }, ctx)).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    expect(await table.dispatch('workspace.setAgentName', null, ctx)).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    expect(ran).toBe(false);
    expect(await table.dispatch('workspace.setAgentName', { name: ' Ana ' }, ctx)).toEqual({ ok: true, value: { agentName: 'Ana' } });
  });

  it('answers unknown and prototype names as unknown_call', async () => {
    const table = new HandlerTable(silentLogger, new Redactor());
    for (const name of ['nope', '__proto__', 'constructor', 'toString', 42, null, {}]) {
      expect(await table.dispatch(name, {}, ctx)).toMatchObject({ ok: false, error: { code: 'unknown_call' } });
    }
  });

  it('passes AppError codes through and hides other failures behind internal, redacting secrets', async () => {
    const lines: string[] = [];
    const redactor = new Redactor();
    const table = new HandlerTable({ ...silentLogger, error: (m, f) => lines.push(redactor.text(JSON.stringify({ m, f }))) }, redactor);
    table.register('a', {
      'workspace.setAgentName': ({ name }) => {
        if (name === 'conflict') throw new AppError('conflict', 'key sk_test_abcdefghijklmnop is wrong');
        throw new Error('database exploded with sk_live_abcdefghijklmnop');
      },
    });
    const conflict = await table.dispatch('workspace.setAgentName', { name: 'conflict' }, ctx);
    expect(conflict).toEqual({ ok: false, error: { code: 'conflict', message: 'key [redacted] is wrong' } });
    const internal = await table.dispatch('workspace.setAgentName', { name: 'boom' }, ctx);
    expect(internal).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(JSON.stringify(internal)).not.toContain('exploded');
    expect(lines.join('\n')).not.toContain('sk_live_abcdefghijklmnop');
  });
});

describe('contract', () => {
  it('refuses a call declared by two fragments', () => {
    const a = { 'x.y': call<number>()(z.object({})) };
    const b = { 'x.y': call<string>()(z.object({})) };
    expect(() => defineContract(a, b)).toThrow(/declared twice/);
  });
});
