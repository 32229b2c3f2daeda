// `gatehouse check --config PATH [--mode MODE]`: is this configuration usable, and
// what would each mode run with? The file is valid or not (a UsageError before
// this runs); then, per mode, its PAM service file and, for login, the sessions
// (configured, or discovered with every entry that cannot be used and why).
//
// A problem of a mode (a missing service file, no session) stops only that mode:
// without --mode it is reported and the status stays 0; with --mode it is the
// answer (status 1). The greeter's units run it with --mode login before X starts.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { screenLocale, type Config } from '../../config';
import { MODES, type Mode } from '../../protocol';
import { discoverSessions, type DiscoveryOptions } from '../../sessions';

export interface ModeReport {
  mode: Mode;
  service: string;
  /** The service file PAM reads, when one exists. */
  serviceFile?: string;
  /** login: where the sessions come from, and which. */
  sessions?: { source: 'config' | 'installed'; offered: { id: string; name: string; type: 'x11' | 'wayland' | 'tty'; file?: string }[] };
  /** login, discovered: desktop entries not offered, and why. */
  skipped?: { file: string; reason: string }[];
  /** What stops this mode from starting. */
  problems: string[];
}

export interface ConfigReport {
  file: string;
  modes: ModeReport[];
}

// libpam reads /etc/pam.d, then the vendor directory where it was built with one.
const SERVICE_DIRS = ['/etc/pam.d', '/usr/lib/pam.d'];

export function configReport(config: Config, file: string, discovery: DiscoveryOptions = {}): ConfigReport {
  return { file, modes: MODES.map((mode) => modeReport(config, mode, discovery)) };
}

function modeReport(config: Config, mode: Mode, discovery: DiscoveryOptions): ModeReport {
  const service = config.services[mode];
  const dirs = config.confDir === undefined ? SERVICE_DIRS : [config.confDir];
  const serviceFile = dirs.map((dir) => join(dir, service)).find((path) => existsSync(path));
  const report: ModeReport = { mode, service, problems: [] };
  if (serviceFile === undefined) {
    report.problems.push(`no PAM service file ${service} in ${dirs.join(' or ')} (PAM would use its "other" service)`);
  } else {
    report.serviceFile = serviceFile;
  }
  if (mode !== 'login') return report;

  const configured = config.login.sessions;
  if (configured !== undefined) {
    report.sessions = { source: 'config', offered: configured.map(({ id, name, type }) => ({ id, name, type: type ?? config.login.sessionType })) };
    return report;
  }
  const found = discoverSessions({ locale: screenLocale(config), ...discovery });
  report.sessions = { source: 'installed', offered: found.sessions.map(({ id, name, type, file: entry }) => ({ id, name, type, file: entry })) };
  report.skipped = found.skipped;
  if (found.sessions.length === 0) {
    report.problems.push(`no session: login.sessions is not set and none is installed in ${found.searched.join(', ')}`);
  }
  return report;
}

/** The exit status: 0, or 1 when the mode asked for (--mode) cannot start. */
export function reportStatus(report: ConfigReport, mode: Mode | undefined): number {
  if (mode === undefined) return 0;
  return report.modes.some((m) => m.mode === mode && m.problems.length > 0) ? 1 : 0;
}

export function reportText(report: ConfigReport, only: Mode | undefined): string {
  const lines = [`configuration ${report.file}: valid`];
  for (const m of report.modes) {
    if (only !== undefined && m.mode !== only) continue;
    lines.push(`${m.mode}: PAM service ${m.service}${m.serviceFile === undefined ? '' : ` (${m.serviceFile})`}`);
    if (m.sessions !== undefined) {
      lines.push(`  sessions (${m.sessions.source === 'config' ? 'login.sessions' : 'installed'}):${m.sessions.offered.length === 0 ? ' none' : ''}`);
      for (const s of m.sessions.offered) lines.push(`    ${s.id}: ${s.name} [${s.type}]${s.file === undefined ? '' : ` (${s.file})`}`);
    }
    for (const s of m.skipped ?? []) lines.push(`  not offered: ${s.file}: ${s.reason}`);
    const verdict = only === undefined ? 'warning' : 'cannot start';
    for (const problem of m.problems) lines.push(`  ${verdict}: ${problem}`);
  }
  return `${lines.join('\n')}\n`;
}
