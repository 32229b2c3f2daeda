// Everything that changes the screen state: the engine's events as they arrive,
// and the UI's own steps (what it sent, the state of the link).
import type { ConnectionStatus } from '../bridge/connection';
import type { Event } from '../protocol';

export type UiAction =
  | { type: 'ui/connection'; status: ConnectionStatus }
  /** A `begin` was sent. */
  | { type: 'ui/begin'; user?: string; session?: string }
  /** The answers to batch `batch` were sent (the values are not here, on purpose). */
  | { type: 'ui/answered'; batch: string }
  /** A `cancel` was sent for the running flow. */
  | { type: 'ui/cancel' }
  /** Login: back to choosing a user, with no flow running. */
  | { type: 'ui/back' }
  /** Elevate: the user declined while no flow was running (nothing to cancel). */
  | { type: 'ui/decline' }
  /** Login: a power action was asked for (after its confirmation). */
  | { type: 'ui/power' }
  /** Keys were typed while no field could take them (the engine checks, a delay runs). */
  | { type: 'ui/typed-while-waiting' };

export type Action = Event | UiAction;
