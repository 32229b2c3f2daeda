// From a configuration to what the engine daemon's session launcher needs
// (main/sessions/launch): the X server, the VT, the runtime directories, the
// utmp / wtmp files.
import type { DesktopSessionSettings } from '../sessions/launch/desktop-launcher';
import type { Config } from './schema';

export function desktopSessionSettings(config: Config): DesktopSessionSettings {
  const login = config.login;
  return {
    defaultKind: login.sessionType,
    xServer: [...login.xServer],
    seat: login.seat,
    runtimeDirBase: login.runtimeDirBase,
    ...(login.vt === undefined ? {} : { vt: login.vt }),
    ...(login.tty === undefined ? {} : { tty: login.tty }),
    ...(login.records === null ? {} : { records: { ...login.records } }),
  };
}
