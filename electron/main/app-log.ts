import fs from 'node:fs';
import path from 'node:path';
import { createLogger, type Logger } from '../services/core/log';
import type { Redactor } from '../services/core/redact';

const MAX_LOG_BYTES = 5 * 1024 * 1024;

/**
 * The app log: JSON lines in userData/logs/main.log (one previous file kept as main.log.1), and on
 * stderr. Lines pass through the redactor inside createLogger before they get here.
 */
export function createAppLogger(logDir: string, redactor: Redactor): { log: Logger; file: string } {
  const file = path.join(logDir, 'main.log');
  fs.mkdirSync(logDir, { recursive: true });
  let size = fs.existsSync(file) ? fs.statSync(file).size : 0;
  const sink = (line: string) => {
    process.stderr.write(line + '\n');
    try {
      if (size > MAX_LOG_BYTES) {
        fs.renameSync(file, `${file}.1`);
        size = 0;
      }
      fs.appendFileSync(file, line + '\n', { mode: 0o600 });
      size += Buffer.byteLength(line) + 1;
    } catch {
      // A full disk must not take the app down; stderr still has the line.
    }
  };
  return { log: createLogger(redactor, sink), file };
}
