// From the command line's config selection to the engine's options, as the other
// hosts do it: the config file, the flags on top, then engineOptionsFor.
import type { EngineOptions } from '../../auth/api';
import { ConfigError, engineOptionsFor, loadConfig, type Config } from '../../config';
import type { Mode } from '../../protocol';
import { CommandLineError, type ConfigSelection } from './command-line';

export function loadSelectedConfig(selection: ConfigSelection): Config {
  try {
    return loadConfig({ ...(selection.path === undefined ? {} : { path: selection.path }), overrides: selection.overrides });
  } catch (error) {
    if (error instanceof ConfigError) throw new CommandLineError(error.message);
    throw error;
  }
}

export function engineOptionsForSelection(selection: ConfigSelection, mode: Mode): EngineOptions {
  const config = loadSelectedConfig(selection);
  try {
    return engineOptionsFor(config, mode, selection.user === undefined ? {} : { user: selection.user });
  } catch (error) {
    if (error instanceof ConfigError) throw new CommandLineError(error.message);
    throw error;
  }
}
