// The protocol's words: its version and every closed set of values a message may
// carry. No zod and nothing of Node: messages.ts builds its schemas from these,
// and the renderer imports them as values (its event decoder checks the same
// sets), so a value added here reaches the engine's schema and the page at once.

export const PROTOCOL_VERSION = 1;

export const MODES = ['login', 'unlock', 'elevate'] as const;
export type Mode = (typeof MODES)[number];

export const PHASES = ['identify', 'authenticate', 'account', 'change-password', 'session', 'done'] as const;
export type PhaseName = (typeof PHASES)[number];

export const POWER_ACTIONS = ['poweroff', 'reboot', 'suspend'] as const;
export type PowerAction = (typeof POWER_ACTIONS)[number];

/** How a prompt is shown: typed text shown, typed text hidden, or Linux-PAM's yes/no question. */
export const PROMPT_STYLES = ['echo-on', 'echo-off', 'radio'] as const;

/** A module's message that is not a prompt. */
export const MESSAGE_KINDS = ['info', 'error'] as const;

/** Why no new attempt may start yet: a module's fail delay, or the lockout. */
export const DELAY_REASONS = ['fail-delay', 'lockout'] as const;

/** An account's picture as the engine sends it: a data: URL of a PNG, JPEG, GIF or WebP image. */
export const PICTURE_DATA_URL = /^data:image\/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/]+=*$/;

/** The engine's own outcome codes (beside the PAM code names). */
export const OUTCOME_CODES = {
  cancelled: 'CANCELLED',
  promptTimeout: 'PROMPT_TIMEOUT',
  lockedOut: 'LOCKED_OUT',
  sessionFailed: 'SESSION_FAILED',
  notAllowed: 'NOT_ALLOWED',
  internal: 'INTERNAL_ERROR',
  /**
   * Success without a verdict: the answer was handed to the program that asked
   * (sudo, through askpass), which checks it itself.
   */
  handedOver: 'HANDED_OVER',
} as const;
