import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

// A private PostgreSQL cluster in a folder of its own: the test suite's throwaway server and the
// `team-server --demo` default when no DATABASE_URL is given. It uses the machine's PostgreSQL
// binaries (Debian's postgresql package). initdb refuses to run as root, so as root every server
// command runs as the `postgres` user and the folder is handed to that user.

export interface LocalCluster {
  /** postgres://… URL of the cluster's `postgres` database (superuser). */
  adminUrl: string;
  /** URL of another database on the same cluster. */
  urlFor(database: string): string;
  port: number;
  dir: string;
  stop(): Promise<void>;
}

export class PostgresNotInstalledError extends Error {
  constructor(searched: string[]) {
    super(
      `PostgreSQL server binaries (initdb, pg_ctl) were not found (looked in ${searched.join(', ')}). ` +
        'Install PostgreSQL (Debian/Ubuntu: apt-get install postgresql) or set DATABASE_URL to a server.',
    );
    this.name = 'PostgresNotInstalledError';
  }
}

/** The folder holding initdb and pg_ctl: PG_BINDIR, `pg_config --bindir`, then Debian's versioned folders. */
export function findPostgresBinDir(env: NodeJS.ProcessEnv = process.env): string {
  const candidates: string[] = [];
  if (env.PG_BINDIR) candidates.push(env.PG_BINDIR);
  try {
    candidates.push(execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim());
  } catch {
    // pg_config is absent when only the server package is installed; the Debian folders below still work.
  }
  const debianRoot = '/usr/lib/postgresql';
  if (fs.existsSync(debianRoot)) {
    const versions = fs.readdirSync(debianRoot).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
    for (const v of versions) candidates.push(path.join(debianRoot, v, 'bin'));
  }
  const found = candidates.find((dir) => fs.existsSync(path.join(dir, 'initdb')) && fs.existsSync(path.join(dir, 'pg_ctl')));
  if (!found) throw new PostgresNotInstalledError(candidates.length > 0 ? candidates : ['PATH']);
  return found;
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** Runs a PostgreSQL binary, as the postgres user when we are root. */
function runPg(binDir: string, tool: string, args: string[]): void {
  const bin = path.join(binDir, tool);
  const [cmd, argv] = isRoot() ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  const r = spawnSync(cmd, argv, { encoding: 'utf8', cwd: os.tmpdir() });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${tool} failed (exit ${r.status}): ${(r.stderr || r.stdout).trim()}`);
}

function chownToPostgres(target: string): void {
  if (!isRoot()) return;
  execFileSync('chown', ['-R', 'postgres:postgres', target]);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

export interface StartClusterOptions {
  /** Parent folder of the cluster's folder (default: the OS temp folder). */
  parentDir?: string;
  /** Throwaway clusters trade durability for speed (no fsync). */
  durable?: boolean;
  env?: NodeJS.ProcessEnv;
}

/** initdb + pg_ctl start on a free loopback port; resolves once the server accepts connections. */
export async function startLocalCluster(opts: StartClusterOptions = {}): Promise<LocalCluster> {
  const binDir = findPostgresBinDir(opts.env);
  const dir = fs.mkdtempSync(path.join(opts.parentDir ?? os.tmpdir(), 'bsc-pg-'));
  const dataDir = path.join(dir, 'data');
  const socketDir = path.join(dir, 'socket');
  fs.mkdirSync(socketDir);
  // A random superuser password: loopback TCP is reachable by every local user, so no trust auth.
  const password = randomBytes(18).toString('base64url');
  const pwFile = path.join(dir, 'pwfile');
  fs.writeFileSync(pwFile, password + '\n', { mode: 0o600 });
  chownToPostgres(dir);
  try {
    runPg(binDir, 'initdb', ['-D', dataDir, '-U', 'postgres', '--pwfile', pwFile, '-A', 'scram-sha-256', '-E', 'UTF8', '--locale', 'C', '--no-sync']);
  } finally {
    fs.rmSync(pwFile, { force: true });
  }
  const settings = [
    `-c listen_addresses=127.0.0.1`,
    `-c unix_socket_directories=${socketDir}`,
    '-c max_connections=200',
    ...(opts.durable ? [] : ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off']),
  ];
  // The port is probed free, then bound by postgres: another process can take it in between, so retry.
  let port = 0;
  for (let attempt = 0; ; attempt++) {
    port = await freePort();
    try {
      runPg(binDir, 'pg_ctl', ['-D', dataDir, '-l', path.join(dir, 'server.log'), '-w', '-t', '60', '-o', [`-p ${port}`, ...settings].join(' '), 'start']);
      break;
    } catch (err) {
      if (attempt >= 3) {
        const log = readTail(path.join(dir, 'server.log'));
        fs.rmSync(dir, { recursive: true, force: true });
        throw new Error(`${(err as Error).message}\n${log}`);
      }
    }
  }
  const urlFor = (database: string) => `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
  let stopped = false;
  const stopNow = () => {
    if (stopped) return;
    stopped = true;
    try {
      runPg(binDir, 'pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
  // A test worker that exits without its teardown must not leave a postmaster behind.
  process.once('exit', stopNow);
  return {
    adminUrl: urlFor('postgres'),
    urlFor,
    port,
    dir,
    stop: async () => {
      process.removeListener('exit', stopNow);
      stopNow();
    },
  };
}

function readTail(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-15).join('\n');
  } catch {
    return '';
  }
}
