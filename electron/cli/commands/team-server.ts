import type { CliCommand } from '../command';
import { runTeamServer } from '../../team-server/main';

// `billing-console team-server [--demo] [--behind-tls-proxy]`: runs until SIGINT/SIGTERM.
export const teamServerCommand: CliCommand = {
  name: 'team-server',
  summary: 'run the team server (DATABASE_URL, BSC_TEAM_LISTEN, BSC_TEAM_SECRET; --demo, --behind-tls-proxy)',
  usage: 'team-server [--demo] [--behind-tls-proxy]',
  options: { demo: { type: 'boolean' }, 'behind-tls-proxy': { type: 'boolean' } },
  async run({ values, io }) {
    const argv = [...(values.demo ? ['--demo'] : []), ...(values['behind-tls-proxy'] ? ['--behind-tls-proxy'] : [])];
    const running = await runTeamServer(argv, io.env, io.out);
    await new Promise<void>((resolve) => {
      const stop = () => void running.stop().finally(resolve);
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
  },
};
