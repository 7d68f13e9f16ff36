// The words the user sees when start-up goes wrong or the cache had to be rebuilt. Pure, so the
// wording is tested under Node; main.ts only puts them in a dialog.

export interface DialogText {
  title: string;
  message: string;
  detail: string;
}

/** Why the console could not start, in words, with the next step. */
export function startupFailureText(err: unknown, paths: { cacheFile: string; nativeBinding?: string }): DialogText {
  const raw = err instanceof Error ? err.message : String(err);
  if (err instanceof Error && err.name === 'NewerSchemaError') {
    return {
      title: 'Cache from a newer version',
      message: 'This cache was written by a newer version of Billing Support Console.',
      detail: `${raw}\n\nCache file: ${paths.cacheFile}\nThe file was left untouched.`,
    };
  }
  if (/NODE_MODULE_VERSION|was compiled against a different Node\.js version|invalid ELF header|not a valid Win32 application|wrong ELF class|image not found|cannot open shared object/i.test(raw)) {
    return {
      title: 'Database engine does not match',
      message: 'The SQLite engine (better-sqlite3) was built for a different Electron version or machine.',
      detail: `Run \`npm start\` again from the project folder: it rebuilds the engine for this Electron version. If this is an installed app, reinstall it.\n\nEngine: ${paths.nativeBinding ?? 'default'}\nError: ${raw}`,
    };
  }
  return {
    title: 'Billing Support Console could not start',
    message: 'The console could not open its local cache.',
    detail: `${raw}\n\nCache file: ${paths.cacheFile}\nNothing was deleted. The app log in the same folder has the details.`,
  };
}

/** Shown once after start-up when an unreadable cache was moved aside. */
export function cacheRecoveredText(recovered: { movedTo: string; reason: string }): DialogText {
  return {
    title: 'Cache rebuilt',
    message: 'The local cache could not be read, so a fresh one was built.',
    detail:
      `The old file was moved to:\n${recovered.movedTo}\n(it was not deleted: notes and audit rows in it can still be recovered).\n\n` +
      `Customer and billing data will come back with the next sync from Stripe.\n\nWhat went wrong: ${recovered.reason}`,
  };
}

/** Shown when the Electron build of better-sqlite3 is missing (the app was started without `npm start`). */
export function missingNativeBindingText(bindingPath: string): DialogText {
  return {
    title: 'Database engine missing',
    message: 'The SQLite engine built for Electron was not found.',
    detail: `Start the app with \`npm start\` from the project folder: it builds the engine for this Electron version once (this needs the internet the first time).\n\nExpected at: ${bindingPath}`,
  };
}
