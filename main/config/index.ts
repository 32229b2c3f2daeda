// The configuration: one JSON file (default /etc/gatehouse/config.json), the
// hosts' command-line overrides on top, validated before anything starts.
export { loadConfig, mergeOverrides, DEFAULT_CONFIG_PATH } from './load';
export type { ConfigOverrides, LoadConfigOptions } from './load';
export { engineOptionsFor, screenLocale, systemFacts } from './engine-options';
export { desktopSessionSettings } from './desktop-sessions';
export type { EngineContext, SystemFacts } from './engine-options';
export { ConfigError } from './errors';
export { defaultStateDir, ROOT_STATE_DIR } from './state-dir';
export type { ConfigIssue } from './errors';
export { configSchema } from './schema';
export type { Config, ConfigInput } from './schema';
export {
  CONFIG_FLAGS,
  MAX_PROMPT_TIMEOUT_MS,
  UsageError,
  configSelection,
  directoryFlag,
  engineOptionsForSelection,
  integerFlag,
  loadSelection,
  modeFlag,
  nonEmptyFlag,
  parseFlags,
  serviceFlag,
} from './flags';
export type { ConfigSelection, FlagValues } from './flags';
export { ENGINE_FLAGS, ENGINE_FLAGS_HELP, engineChoiceOf } from './engine-flags';
export type { EngineChoice } from './engine-flags';
