// Where a host's engine comes from: the engine a choice of the command line
// names (main/config/engine-flags.ts parses the flags) for `gatehouse check`,
// `gatehouse serve` and the app.
import type { Engine, EngineObserver } from '../auth/api';
import { createEngine } from '../auth';
import { engineOptionsForSelection, type ConfigSelection, type EngineChoice } from '../config';
import type { Mode } from '../protocol';
import { greetdSource } from '../sources/greetd';
import { changePasswordWithPasswd } from '../sources/passwd';
import { RemoteEngine } from './socket';

export type EngineFactory = (observer: EngineObserver) => Engine;

/**
 * The engine factory for a choice. The configuration (config file and flags) is
 * loaded here for engines in this process; a bad one throws UsageError.
 */
export function engineFactoryFor(choice: EngineChoice, mode: Mode, selection: ConfigSelection): EngineFactory {
  switch (choice.kind) {
    case 'daemon':
      return (observer) => new RemoteEngine({ socketPath: choice.socketPath, mode, observer });
    case 'greetd': {
      // greetd runs its own PAM service ("greetd"): the audit line names it.
      const options = { ...engineOptionsForSelection(selection, mode), service: 'greetd' };
      return (observer) => createEngine(options, observer, greetdSource(choice.socketPath));
    }
    case 'in-process': {
      const options = engineOptionsForSelection(selection, mode);
      // A host that runs as the user (unlock, elevate, check) changes an expired
      // password through the system's passwd (the config's passwordChange decides).
      return (observer) => createEngine(options, observer, { changePasswordOutOfProcess: changePasswordWithPasswd });
    }
  }
}
