// The engine as the hosts see it (terminal, browser, Electron). One Engine is one
// seat: it runs at most one PAM transaction at a time and remembers fail delays
// and lockouts across transactions.
import type { Conversation } from '../../native';
import type { Event, Mode, PowerAction, Request, RequestRefusal } from '../protocol';

/** A configured login session (what the greeter may start). */
export interface SessionChoice {
  id: string;
  name: string;
  /** argv of the session command, run as the user. */
  command: string[];
  /** What the session runs on (XDG_SESSION_TYPE); absent: the login settings' sessionType. */
  type?: 'x11' | 'wayland' | 'tty';
  /** The desktop entry's DesktopNames: XDG_CURRENT_DESKTOP (joined with ':'). */
  desktopNames?: string[];
}

export interface LoginSettings {
  sessions: SessionChoice[];
  /** XDG_SESSION_TYPE: 'x11', 'wayland' or 'tty'. */
  sessionType: 'x11' | 'wayland' | 'tty';
  /** XDG_SESSION_CLASS, normally 'user'. */
  sessionClass: string;
  seat: string;
  vtnr?: number;
  /** PAM_TTY, e.g. 'tty7' or ':0'. */
  tty?: string;
  /** PAM_XDISPLAY, e.g. ':0'. */
  display?: string;
}

export interface ElevateSettings {
  /** What is being approved, shown to the user. */
  action: string;
  /** The program asking. */
  program: string;
  /** The action's id, when the request names one (polkit), shown to the user. */
  actionId?: string;
  /** More about the request (polkit's details), shown in this order. */
  details?: { name: string; value: string }[];
  /** Tells one request from the next when a UI stays connected across several. */
  request?: string;
  /** When the engine runs as root: members of this group may confirm. */
  adminGroup?: string;
  /**
   * Exactly these users may confirm, whoever the engine runs as (polkit's
   * identities); overrides adminGroup. One: the confirming user is fixed;
   * several: the UI picks one (`begin.user`) from `users`.
   */
  confirmers?: string[];
  /**
   * Failed attempts (cancelled ones and prompt timeouts aside) after which the
   * engine takes no further attempt: the last one's outcome is `final` and later
   * `begin`s are refused. Absent: no limit.
   */
  maxAttempts?: number;
  /** Run this (argv) after a successful confirmation; its exit status is the outcome's. */
  command?: string[];
}

export interface LockoutPolicy {
  /** Failed attempts (within `windowMs`) before the engine locks out by itself. */
  maxFailures: number;
  windowMs: number;
  lockMs: number;
  /**
   * Who keeps the lockout: 'engine' (the engine's own tallies), 'pam_faillock'
   * (the stack does; the engine keeps none), or 'auto': pam_faillock when the
   * service's auth group runs `pam_faillock.so preauth`, the engine otherwise.
   * Default 'auto'.
   */
  mechanism?: 'auto' | 'engine' | 'pam_faillock';
  /**
   * The private directory of the tallies (lockout-store.ts), shared by every
   * engine that names it. Absent: kept in this engine's memory only.
   */
  stateDir?: string;
}

/**
 * How an expired password is changed: 'pam' by pam_chauthtok in this process (it
 * must be allowed to write the account database: root, or a stack such as the
 * demo's); 'passwd' through the system's setuid passwd(1) (main/sources/passwd),
 * for a process that runs as the user; 'auto': passwd when not running as root
 * on the system's PAM configuration (no confDir), pam otherwise.
 */
export type PasswordChangeMethod = 'auto' | 'pam' | 'passwd';

/** One run of a password change outside this process (the passwd source). */
export type ChangePasswordOutOfProcess = (request: {
  user: string;
  conversation: Conversation;
  signal: AbortSignal;
}) => Promise<{ ok: boolean; status: string; promptsAnswered: number }>;

export interface EngineOptions {
  mode: Mode;
  /** PAM service name for this mode. */
  service: string;
  /** Service directory for pam_start_confdir (demo and tests); absent: /etc/pam.d. */
  confDir?: string;
  /**
   * unlock: the session owner (fixed). elevate: the requesting user. login: absent
   * (the UI or PAM's own prompt names the user).
   */
  user?: string;
  /** Users the login UI may offer (elevate: the administrators who may confirm). */
  users: Person[];
  /** How to show `user` (unlock, elevate): the full name and picture, when known. */
  identity?: Identity;
  login?: LoginSettings;
  elevate?: ElevateSettings;
  /**
   * A prompt left unanswered this long ends the attempt with PROMPT_TIMEOUT (0:
   * never). The one prompt timeout (config `timeouts.promptMs`, `--prompt-timeout`):
   * the broker's timer owns it for every host and PAM source. The addon's own
   * conversation timer is never armed for the engine's transactions, and the
   * sources' watchdogs (the polkit helper's silence, passwd's idleness) stand
   * down while a prompt is pending.
   */
  promptTimeoutMs: number;
  /** How an expired password is changed (absent: 'auto'). */
  passwordChange?: PasswordChangeMethod;
  /** The lockout (off when absent; the configuration turns it on by default). */
  lockout?: LockoutPolicy;
  /**
   * After a failed attempt, no new one before this many ms have passed, even when
   * no module asked for a fail delay (a module's longer delay still wins). Default 0.
   */
  minFailDelayMs?: number;
  /** Power actions the login UI may request. */
  power: PowerAction[];
  /** How each power action is carried out (argv); absent: `systemctl <action>`. */
  powerCommands?: Partial<Record<PowerAction, string[]>>;
  /**
   * The language of the screen (a POSIX locale such as de_DE.UTF-8, a BCP 47 tag,
   * or C). libpam and the modules speak it too, where the locale is installed.
   */
  locale: string;
  theme: string;
  /** The system's XKB keyboard layouts, the active one first (the on-screen keyboard follows them). */
  keyboardLayouts?: KeyboardLayout[];
}

/** How an account is shown: its full name and picture (a data: URL), when known. */
export interface Identity {
  displayName?: string;
  picture?: string;
}

export interface Person extends Identity {
  name: string;
}

export interface KeyboardLayout {
  layout: string;
  variant?: string;
}

/** The result of one PAM call, for observers (`gatehouse check --json` prints these). */
export interface CallResult {
  op: 'start' | 'authenticate' | 'acct_mgmt' | 'chauthtok' | 'setcred' | 'open_session' | 'close_session' | 'end';
  ok: boolean;
  /** PAM code name, e.g. 'PAM_SUCCESS', 'PAM_AUTH_ERR'. */
  code: string;
  errno: number;
  /** pam_strerror text. */
  message: string;
}

/** The end of one flow. */
export interface FlowOutcome {
  mode: Mode;
  user?: string;
  ok: boolean;
  /** 'PAM_SUCCESS', a PAM code name, or one of OUTCOME_CODES. */
  code: string;
  reason: string;
  durationMs: number;
  /** login: the session command's exit status; elevate: the approved command's. */
  exitStatus?: number;
  /** The engine takes no further attempt (elevate's maxAttempts are used up). */
  final?: boolean;
}

export interface EngineObserver {
  /** Every event for the UI, in order. */
  event(event: Event): void;
  /** Every PAM call the engine made. */
  result?(result: CallResult): void;
  /** After every flow. */
  outcome?(outcome: FlowOutcome): void;
  /**
   * The engine's log lines (the audit line of every attempt, refusals, problems),
   * one JSON object per line, never containing an answer. Absent: written to stderr.
   */
  log?(line: string): void;
  /**
   * The engine went away by itself and no event follows: a remote engine whose
   * connection to the daemon (`gatehouse engine`) failed or was lost, with the
   * reason. An engine in this process never calls it.
   */
  closed?(reason: string): void;
}

export interface Engine {
  readonly mode: Mode;
  /** True while a flow runs. */
  readonly busy: boolean;
  /**
   * One request from a UI, parsed once at the host boundary (receiveUntrusted in
   * receive-untrusted.ts: the zod parse, main/protocol's parseRequest). Unexpected
   * ones (out of order, a prompt id not pending) are answered with a `refused`
   * event (and a log line without the value); nothing else changes. An answer
   * given as bytes belongs to the engine from here on: it is zeroed once PAM has
   * it, or at once when the request is refused.
   */
  receive(request: Request): void;
  /**
   * A request that failed the parse at the host boundary: answered with `refused`
   * and logged like any other refusal (never the value, nor a name the sender made up).
   */
  refuse(refusal: RequestRefusal): void;
  /** Aborts and ends a running flow; the engine takes no more requests. */
  close(): Promise<void>;
}
