import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TeamServer } from '../../electron/team-server/app';
import type { KbArticle, KbHit, KbStatus } from '../../shared/contract/copilot';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres';
import { addAgent, jsonOf, startTestTeamServer, type TestAgent } from '../helpers/team-server';

// The team's knowledge base on PostgreSQL full text: an admin imports, every agent searches and
// opens articles, desks receive the articles through the feed.

const SAMPLE_KB = path.resolve(import.meta.dirname, '../../resources/kb');
let pgs: TestPostgres;
let server: TeamServer;
let ada: TestAgent;
let ana: TestAgent;
beforeAll(async () => {
  pgs = await startTestPostgres();
  server = await startTestTeamServer(await pgs.newDatabase());
  ada = await addAgent(server, 'Ada', 'admin');
  ana = await addAgent(server, 'Ana', 'agent');
});
afterAll(async () => {
  await server?.stop();
  await pgs?.close();
});

describe('team knowledge base', () => {
  it('imports the sample articles once, searches them by words, opens one, and sends them to desks', async () => {
    const articles = fs.readdirSync(SAMPLE_KB).filter((f) => f.endsWith('.md')).length;
    const first = await ada.call<{ documents: number; chunks: number; unchanged: number; problems: string[] }>('kb.import', { folder: SAMPLE_KB });
    expect(first.body).toMatchObject({ ok: true, value: { documents: articles, unchanged: 0, problems: [] } });
    const again = await ada.call('kb.import', { folder: SAMPLE_KB });
    expect(again.body).toMatchObject({ ok: true, value: { documents: 0, chunks: 0, unchanged: articles } });
    const status = await ana.call<KbStatus>('kb.status', {});
    expect(status.body).toMatchObject({ ok: true, value: { documents: articles, vectorSearch: false } });
    const hits = await ana.call<KbHit[]>('kb.search', { query: 'partial refund', limit: 3 });
    expect(hits.body.ok && hits.body.value[0]).toMatchObject({ ref: 'kb:refunds', via: ['keyword'] });
    const article = await ana.call<KbArticle>('kb.get', { ref: 'kb:refunds' });
    expect(article.body.ok && article.body.value.body).toContain(fs.readFileSync(path.join(SAMPLE_KB, 'refunds.md'), 'utf8').split('\n').find((l) => l.length > 40 && !l.startsWith('#'))!.trim().slice(0, 30));
    const feed = await jsonOf(await ana.get('/v1/feed?after=0&limit=1000'));
    const kb = feed.entries.filter((e: { entity: string }) => e.entity === 'kb_article');
    expect(kb).toHaveLength(articles);
    expect(kb.find((e: { id: string }) => e.id === 'kb:refunds').data.chunks.length).toBeGreaterThan(0);
  });

  it('refuses an agent, and a missing folder in words', async () => {
    expect((await ana.call('kb.import', { folder: SAMPLE_KB })).status).toBe(403);
    const missing = await ada.call('kb.import', { folder: path.join(os.tmpdir(), 'no-such-kb-folder-xyz') });
    expect(missing.status).toBe(400);
    expect(!missing.body.ok && missing.body.error.message).toMatch(/^There is no folder at /);
    const unknown = await ana.call('kb.get', { ref: 'kb:nothing-here' });
    expect(unknown.status).toBe(404);
  });
});
