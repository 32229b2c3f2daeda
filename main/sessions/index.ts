// Desktop sessions: what a login screen can start on this machine.
export {
  DEFAULT_DATA_DIRS,
  MAX_ENTRY_BYTES,
  MAX_SESSIONS,
  SESSION_SUBDIRS,
  dataDirsFromEnvironment,
  discoverSessions,
  findProgram,
} from './discovery';
export type { DiscoveredSession, DiscoveryOptions, SessionDiscovery, SessionType, SkippedEntry } from './discovery';
export { parseDesktopEntry, parseExec } from './desktop-entry';
