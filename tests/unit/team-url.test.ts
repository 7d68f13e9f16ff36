import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/contract/errors';
import { normalizeTeamUrl, teamUrlProblem } from '../../shared/domain/team-url';
import { teamConfigFromEnv } from '../../electron/services/team/team-config';

// The team server's address receives the agent token on every request: https, or plain http to
// this computer only; no credentials, query or fragment. Refusals are sentences, not exceptions.

const TOKEN = 'bsc_agent_token_0123456789abcdef';

describe('team server address', () => {
  it.each([
    ['https://team.example.com', null],
    ['https://team.example.com:8443/base/', null],
    ['http://127.0.0.1:8787', null],
    ['http://localhost:8787', null],
    ['http://[::1]:8787', null],
    ['http://127.9.9.9', null],
    ['http://team.example.com', /Plain http:\/\/ is only allowed for a team server on this computer/],
    ['http://10.0.0.5:8787', /Plain http/],
    ['http://127.0.0.1.evil.com', /Plain http/],
    ['http://localhost.evil.com', /Plain http/],
    ['https://user:pass@team.example.com', /user name or password/],
    ['https://team.example.com/?token=x', /query string or fragment/],
    ['https://team.example.com/#x', /query string or fragment/],
    ['ftp://team.example.com', /must be an https:\/\/ URL/],
    ['javascript:alert(1)', /must be an https:\/\/ URL/],
    ['team.example.com', /must be an https:\/\/ URL/],
    ['', /must be an https:\/\/ URL/],
  ])('%s', (url, expected) => {
    const problem = teamUrlProblem(url);
    if (expected === null) expect(problem).toBeNull();
    else expect(problem).toMatch(expected);
  });

  it('never throws, and any address it accepts is https or loopback http', () => {
    fc.assert(
      fc.property(fc.oneof(fc.webUrl(), fc.string()), (raw) => {
        const problem = teamUrlProblem(raw);
        if (problem !== null) return;
        const u = new URL(normalizeTeamUrl(raw));
        expect(u.protocol === 'https:' || ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname) || /^127\./.test(u.hostname)).toBe(true);
        expect(u.username + u.password + u.search + u.hash).toBe('');
      }),
    );
  });

  it('normalises without the trailing slash so paths append cleanly', () => {
    expect(normalizeTeamUrl('https://team.example.com/base/')).toBe('https://team.example.com/base');
    expect(normalizeTeamUrl('http://127.0.0.1:8787/')).toBe('http://127.0.0.1:8787');
  });
});

describe('BSC_TEAM_URL + BSC_TEAM_TOKEN', () => {
  it('is solo mode without either, team mode with both', () => {
    expect(teamConfigFromEnv({})).toBeNull();
    expect(teamConfigFromEnv({ BSC_TEAM_URL: 'http://127.0.0.1:8787/', BSC_TEAM_TOKEN: ` ${TOKEN} ` })).toEqual({ url: 'http://127.0.0.1:8787', token: TOKEN });
  });

  it.each([
    [{ BSC_TEAM_URL: 'https://team.example.com' }, /BSC_TEAM_TOKEN is not/],
    [{ BSC_TEAM_TOKEN: TOKEN }, /BSC_TEAM_URL is not/],
    [{ BSC_TEAM_URL: 'http://team.example.com', BSC_TEAM_TOKEN: TOKEN }, /Plain http/],
    [{ BSC_TEAM_URL: 'https://team.example.com', BSC_TEAM_TOKEN: 'short' }, /does not look like one/],
    [{ BSC_TEAM_URL: 'https://team.example.com', BSC_TEAM_TOKEN: 'has a space in the middle of it' }, /does not look like one/],
  ])('refuses %o in words (bad input)', (env, words) => {
    let err: unknown;
    try {
      teamConfigFromEnv(env);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('bad_input');
    expect((err as AppError).message).toMatch(words);
  });
});
