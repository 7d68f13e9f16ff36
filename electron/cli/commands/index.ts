import type { CliCommand } from '../command';
import { demoCommand } from './demo';
import { doctorCommand } from './doctor';
import { dunningCommand } from './dunning';
import { portalCommand } from './portal';
import { searchCommand } from './search';
import { customerCommand } from './customer';
import { syncCommand } from './sync';
import { copilotCommand } from './copilot';
import { teamCommand } from './team';
import { teamServerCommand } from './team-server';
import { noteCommand } from './note';

// One line per command so parallel work touches separate lines.
export const COMMANDS: CliCommand[] = [
  demoCommand,
  doctorCommand,
  dunningCommand,
  portalCommand,
  searchCommand,
  customerCommand,
  syncCommand,
  copilotCommand,
  teamCommand,
  teamServerCommand,
  noteCommand,
];
