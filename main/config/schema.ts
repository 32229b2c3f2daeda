// The configuration file's schema: every field, its default and its limits.
// Unknown fields are errors (a typo must not silently fall back to a default).
import { isAbsolute } from 'node:path';
import { z } from 'zod';
import { POWER_ACTIONS } from '../protocol';

const noNul = (s: string) => !s.includes('\0');

const serviceName = z
  .string()
  .max(128, 'must be at most 128 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9._+-]*$/, 'must be a PAM service name (letters, digits, . _ + -)');

const absolutePath = z
  .string()
  .refine(noNul, 'must not contain NUL')
  .refine((p) => isAbsolute(p), 'must be an absolute path');

const command = z
  .array(z.string().min(1, 'must not be empty').refine(noNul, 'must not contain NUL'))
  .min(1, 'must name a command (argv: program, then its arguments)');

// Protocol ids are 1..64 characters.
const sessionId = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1 to 64 letters, digits, . _ -');

const accountName = z
  .string()
  .min(1, 'must not be empty')
  .max(256, 'must be at most 256 characters')
  .regex(/^[^\s:,/]+$/, 'must be an account name (no blanks, : , /)');

const displayText = (max: number) => z.string().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

const uid = z.number().int().min(0).max(4_294_967_294);

const milliseconds = z.number().int().min(0).max(2_147_483_647);

const positiveMilliseconds = milliseconds.min(1, 'must be at least 1');

function unique<T>(key: (item: T) => string, what: string) {
  return (items: T[], ctx: z.RefinementCtx) => {
    const seen = new Set<string>();
    items.forEach((item, index) => {
      const k = key(item);
      if (seen.has(k)) ctx.addIssue({ code: 'custom', path: [index], message: `duplicate ${what} '${k}'` });
      seen.add(k);
    });
  };
}

const session = z.strictObject({
  /** What the UI sends in `begin.session`. */
  id: sessionId,
  /** What the UI shows. */
  name: displayText(128),
  /** The session command, run as the user (argv). */
  argv: command,
  /** What it runs on (XDG_SESSION_TYPE; x11: the engine daemon starts an X server for it). Default: login.sessionType. */
  type: z.enum(['x11', 'wayland', 'tty']).optional(),
  /** XDG_CURRENT_DESKTOP's items (a desktop entry's DesktopNames). */
  desktopNames: z
    .array(z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be a desktop name (letters, digits, . _ -)'))
    .max(16)
    .optional(),
});

/** The X server the engine daemon starts for an X11 session (Xorg's path on Debian). */
export const DEFAULT_X_SERVER = ['/usr/bin/Xorg', '-nolisten', 'tcp', '-keeptty'];

const userList = z.discriminatedUnion('source', [
  /** The UI offers no users: people type their name (or PAM asks). */
  z.strictObject({ source: z.literal('none') }),
  /** These users, in this order. */
  z.strictObject({
    source: z.literal('list'),
    users: z
      .array(z.strictObject({ name: accountName, displayName: displayText(128).optional() }))
      .min(1, 'must list at least one user')
      .superRefine(unique((u) => u.name, 'user')),
  }),
  /** Accounts from passwd (getent) with a uid in [minUid, maxUid] and a login shell. */
  z
    .strictObject({ source: z.literal('passwd'), minUid: uid.default(1000), maxUid: uid.default(59999) })
    .refine((r) => r.minUid <= r.maxUid, { message: 'minUid must not be above maxUid', path: ['minUid'] }),
]);

export const configSchema = z.strictObject({
  /** The PAM service of each mode (a file in /etc/pam.d, or in confDir). */
  services: z
    .strictObject({
      login: serviceName.default('gatehouse-login'),
      unlock: serviceName.default('gatehouse-unlock'),
      elevate: serviceName.default('gatehouse-elevate'),
    })
    .prefault({}),
  /** Read service files from this directory instead of /etc/pam.d (demo and tests). */
  confDir: absolutePath.optional(),
  login: z
    .strictObject({
      /**
       * The sessions the greeter offers; the first is the default. Absent: the
       * sessions installed in xsessions/ and wayland-sessions/ (main/sessions).
       */
      sessions: z
        .array(session)
        .min(1, 'must list at least one session (or leave login.sessions out to offer the installed ones)')
        .superRefine(unique((s) => s.id, 'session id'))
        .optional(),
      /** XDG_SESSION_TYPE. */
      sessionType: z.enum(['x11', 'wayland', 'tty']).default('x11'),
      /** XDG_SESSION_CLASS. */
      sessionClass: z
        .string()
        .regex(/^[a-z][a-z-]{0,31}$/, 'must be a session class such as user or greeter')
        .default('user'),
      /** XDG_SEAT. */
      seat: z.string().regex(/^seat[A-Za-z0-9_-]{1,60}$/, 'must be a seat name such as seat0').default('seat0'),
      /** XDG_VTNR. */
      vt: z.number().int().min(1).max(63).optional(),
      /** PAM_TTY, e.g. tty7 or /dev/tty7. */
      tty: z.string().min(1).max(64).refine(noNul, 'must not contain NUL').optional(),
      /** PAM_XDISPLAY, e.g. :0. */
      display: z.string().min(1).max(64).refine(noNul, 'must not contain NUL').optional(),
      /**
       * The X server command for X11 sessions started by the engine daemon (it
       * adds -displayfd, -auth and, with login.vt, vtN).
       */
      xServer: command.default(DEFAULT_X_SERVER),
      /** Where a session's XDG_RUNTIME_DIR is made (BASE/UID) when pam_systemd gives none. */
      runtimeDirBase: absolutePath.default('/run/user'),
      /** The utmp and wtmp files the engine daemon records sessions in; null: none. */
      records: z
        .strictObject({ utmp: absolutePath, wtmp: absolutePath })
        .nullable()
        .default({ utmp: '/var/run/utmp', wtmp: '/var/log/wtmp' }),
    })
    .prefault({}),
  /** Where the greeter's user list comes from. */
  users: userList.default({ source: 'none' }),
  elevate: z
    .strictObject({
      /**
       * When Gatehouse runs as root, members of this group confirm (null: the
       * requesting user does, as when it does not run as root).
       */
      adminGroup: accountName.nullable().default('sudo'),
      /** What is being approved, as the UI shows it. */
      action: displayText(1000).default('Authentication is required to make changes to the system'),
      /** Who asks, as the UI shows it. */
      program: displayText(256).default('gatehouse'),
      /** Run after a successful confirmation (argv); its exit status is reported. */
      command: command.optional(),
    })
    .prefault({}),
  timeouts: z
    .strictObject({
      /** A prompt left unanswered this long ends the attempt (0: never). */
      promptMs: milliseconds.default(120_000),
    })
    .prefault({}),
  /**
   * How an expired password is changed: pam_chauthtok in Gatehouse's process
   * ('pam'), the system's setuid passwd ('passwd'), or 'auto': passwd when
   * Gatehouse runs as a user on the system's PAM configuration (no confDir).
   */
  passwordChange: z.enum(['auto', 'pam', 'passwd']).default('auto'),
  /** The lockout: pam_faillock's when the stack runs it, otherwise the engine's own. */
  lockout: z
    .strictObject({
      enabled: z.boolean().default(true),
      maxFailures: z.number().int().min(1).max(1000).default(5),
      windowMs: positiveMilliseconds.default(15 * 60_000),
      lockMs: positiveMilliseconds.default(5 * 60_000),
      /** 'auto': pam_faillock when the auth stack runs it with preauth, else the engine. */
      mechanism: z.enum(['auto', 'engine', 'pam_faillock']).default('auto'),
      /** The engine's tallies; default /var/lib/gatehouse as root (see state-dir.ts). */
      stateDir: absolutePath.optional(),
      /** After a failed attempt, no new one for this long, even if no module asks for a delay. */
      minFailDelayMs: milliseconds.max(60_000, 'must be at most 60000').default(2_000),
    })
    .prefault({}),
  power: z
    .strictObject({
      /** What the login screen offers. */
      allowed: z
        .array(z.enum(POWER_ACTIONS))
        .default([])
        .superRefine(unique((a) => a, 'power action')),
      /** How each is carried out (argv); default `systemctl <action>`. */
      commands: z
        .strictObject({ poweroff: command.optional(), reboot: command.optional(), suspend: command.optional() })
        .prefault({}),
    })
    .prefault({}),
  theme: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be a theme name (a-z, 0-9, -)').default('default'),
  /**
   * The language of the screens (and of libpam's own texts): a POSIX locale such
   * as de_DE.UTF-8, a language tag such as pt-BR, or C. Absent: the environment's
   * (LC_ALL, LC_MESSAGES, LANG).
   */
  locale: z
    .string()
    .regex(
      /^(C|POSIX|C\.[A-Za-z0-9-]{1,16}|[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8}){0,3}(\.[A-Za-z0-9-]{1,16})?(@[A-Za-z0-9]{1,16})?)$/,
      'must be a locale such as de_DE.UTF-8, a language tag such as pt-BR, or C',
    )
    .optional(),
  /** The keyboard layouts the on-screen keyboard offers (XKB names, e.g. de, us). Absent: the system's. */
  keyboardLayouts: z
    .array(z.string().regex(/^[a-z]{2,3}(\([A-Za-z0-9_-]{1,32}\))?$/, 'must be an XKB layout such as de or de(nodeadkeys)'))
    .min(1, 'must name at least one layout')
    .max(8, 'must name at most 8 layouts')
    .optional(),
});

/** A validated configuration, every default filled in. */
export type Config = z.output<typeof configSchema>;

/** What a config file (or an override) may hold: every field optional. */
export type ConfigInput = z.input<typeof configSchema>;
