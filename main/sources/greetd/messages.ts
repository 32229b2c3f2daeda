// greetd's IPC messages (greetd-ipc(7); greetd_ipc/src/lib.rs of greetd 0.9),
// exactly as greetd writes and reads them: JSON objects tagged by `type`, in
// snake_case. Requests are built here and never parsed; responses come from
// greetd and are validated before anything reads them.
import { z } from 'zod';

export type GreetdRequest =
  /** Starts a login attempt for `username`: greetd runs pam_start and pam_authenticate in a session worker. */
  | { type: 'create_session'; username: string }
  /**
   * The answer to the last auth_message: text (or its UTF-8 bytes, framed as a
   * JSON string without becoming a JS string) for a question, null for info /
   * error (or to fail a question).
   */
  | { type: 'post_auth_message_response'; response: string | Uint8Array | null }
  /** Schedules the authenticated session; greetd starts it once the greeter has exited. */
  | { type: 'start_session'; cmd: string[]; env: string[] }
  /** Abandons the session being configured (greetd: "cancelled" in the worker's conversation). */
  | { type: 'cancel_session' };

/** greetd's AuthMessageType. */
export const AUTH_MESSAGE_TYPES = ['visible', 'secret', 'info', 'error'] as const;
export type AuthMessageType = (typeof AUTH_MESSAGE_TYPES)[number];

// Unknown fields are tolerated (a later greetd may add some); unknown types and
// values are not.
export const greetdResponseSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('success') }),
  z.object({
    type: z.literal('error'),
    /** auth_error: PAM said no (not fatal); error: anything else (see the description). */
    error_type: z.enum(['auth_error', 'error']),
    description: z.string(),
  }),
  z.object({
    type: z.literal('auth_message'),
    auth_message_type: z.enum(AUTH_MESSAGE_TYPES),
    auth_message: z.string(),
  }),
]);

export type GreetdResponse = z.infer<typeof greetdResponseSchema>;
