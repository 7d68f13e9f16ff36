import { parseArgs } from 'node:util';
import { startLocalCluster, type LocalCluster } from './local-postgres';
import { startTeamServer, type TeamServer } from './app';

// `npm run team-server` / `billing-console team-server`: one instance of the team server.
// DATABASE_URL names the team database (required, except with --demo, which starts a private
// PostgreSQL when none is named). Prints `team server listening on http://HOST:PORT` when ready.

export interface TeamServerMain {
  server: TeamServer;
  stop(): Promise<void>;
}

export async function runTeamServer(argv: string[], env: NodeJS.ProcessEnv, out: (line: string) => void): Promise<TeamServerMain> {
  const { values } = parseArgs({ args: argv, strict: true, options: { demo: { type: 'boolean' }, 'behind-tls-proxy': { type: 'boolean' } } });
  let cluster: LocalCluster | undefined;
  let databaseUrl = env.DATABASE_URL;
  if (!databaseUrl && values.demo) {
    cluster = await startLocalCluster({ durable: true });
    databaseUrl = cluster.adminUrl;
    out(`demo: a private PostgreSQL in ${cluster.dir} (removed when the server stops)`);
  }
  try {
    const server = await startTeamServer({ env, databaseUrl, behindTlsProxy: Boolean(values['behind-tls-proxy']), demo: Boolean(values.demo) });
    out(`team server listening on ${server.url}`);
    return {
      server,
      async stop() {
        await server.stop();
        await cluster?.stop();
      },
    };
  } catch (err) {
    await cluster?.stop();
    throw err;
  }
}

const isEntry = process.argv[1] && /team-server[\\/]main\.(ts|js|mjs|cjs)$/.test(process.argv[1]);
if (isEntry) {
  runTeamServer(process.argv.slice(2), process.env, (l) => process.stdout.write(l + '\n')).then(
    (running) => {
      const shutdown = () => {
        running.stop().then(
          () => process.exit(0),
          (err: unknown) => {
            process.stderr.write(`team server did not stop cleanly: ${err instanceof Error ? err.message : String(err)}\n`);
            process.exit(1);
          },
        );
      };
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
    },
    (err: unknown) => {
      process.stderr.write(`team server did not start: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
