// The shell's life cycle as an explicit state machine, free of Electron so that
// every rule is unit-tested. The adapter reports what happened (a close request,
// a crashed renderer, the end of a flow, a signal) and carries out the actions it
// gets back.
//
// The rules, by mode:
//   unlock   fails closed: only a successful unlock flow ends the app. Closing a
//            window or quitting is refused; a crashed or hung renderer gets its
//            window recreated (the other windows keep the screen covered) and the
//            conversation restarts; after too many restarts an emergency screen
//            replaces the conversation and stays up: it never unlocks.
//   login    like unlock, except that no outcome ends the greeter: after a session
//            it shows the conversation again. As greetd's greeter (endsOnLogin),
//            a successful login ends it with status 0: greetd starts the session
//            once its greeter has exited. A greeter whose engine daemon goes away
//            exits with status 3, for its service manager to start it again.
//   elevate  (and askpass) fails by denying: closing the window, cancelling the
//            prompt, letting it time out, using up the attempts (a `final`
//            outcome) or a renderer that keeps failing all mean "no", and the
//            app exits with status 1; a successful flow exits
//            with its status (0, or that of the approved command).
// In every mode a termination signal ends the app after the engine has aborted
// and ended any PAM transaction, with status 128 + the signal number.
import { OUTCOME_CODES, type Mode } from '../../protocol';
import { EXIT, exitCodeForSignal } from '../../exit-codes';
import { RestartPolicy } from '../../lock/restart-policy';
import type { WindowRole } from './window-plan';

export type ShellState =
  /** Windows cover the displays; the conversation runs. */
  | 'guarding'
  /** Given up on the renderer: emergency pages everywhere, engine closed; never released. */
  | 'emergency'
  /** A flow ended the shell the intended way; the app is finishing. */
  | 'released'
  /** Ending for any other reason (signal, cancelled prompt, failure); the app is finishing. */
  | 'finishing';

export type ShellAction =
  /** Replace the window on this display with a fresh one of the same role. */
  | { type: 'recreate-window'; displayId: number; role: WindowRole }
  /**
   * Cancel the running flow (if one runs) so that the new conversation window starts
   * afresh; report it with conversationCancelled().
   */
  | { type: 'restart-conversation' }
  /** Close the engine (it aborts and ends its PAM transaction) and show the emergency page everywhere. */
  | { type: 'enter-emergency' }
  /** Close the engine, then exit with this status. */
  | { type: 'finish'; exitCode: number };

interface ModePolicy {
  /** A close request from the user means "cancel" and ends the app. */
  closeMeansCancel: boolean;
  /** A successful flow ends the app. */
  releaseOnSuccess: boolean;
  /** Failed flows with these codes end the app with a denial. */
  denyOn: readonly string[];
  /** What happens when the renderer keeps failing. */
  onGiveUp: 'emergency' | 'deny';
}

const POLICIES: Readonly<Record<Mode, ModePolicy>> = {
  unlock: { closeMeansCancel: false, releaseOnSuccess: true, denyOn: [], onGiveUp: 'emergency' },
  login: { closeMeansCancel: false, releaseOnSuccess: false, denyOn: [], onGiveUp: 'emergency' },
  elevate: {
    closeMeansCancel: true,
    releaseOnSuccess: true,
    denyOn: [OUTCOME_CODES.cancelled, OUTCOME_CODES.promptTimeout],
    onGiveUp: 'deny',
  },
};

export interface FlowResult {
  ok: boolean;
  /** The outcome's code: a PAM code name or one of OUTCOME_CODES. */
  code: string;
  /** The status of a command the flow ran (elevate), if any. */
  exitStatus?: number;
  /** The engine takes no further attempt (elevate: the attempts are used up). */
  final?: boolean;
}

export interface ShellPolicyOptions {
  /** login: a successful flow ends the app (greetd's greeter: greetd then starts the session). */
  endsOnLogin?: boolean;
}

export class FailClosedShell {
  readonly mode: Mode;
  readonly #policy: ModePolicy;
  readonly #restarts: RestartPolicy;
  #state: ShellState = 'guarding';
  /** Cancels the shell itself sent to restart a conversation: their outcomes are not the user's. */
  #ownCancels = 0;

  constructor(mode: Mode, restarts: RestartPolicy = new RestartPolicy(), options: ShellPolicyOptions = {}) {
    this.mode = mode;
    const policy = POLICIES[mode];
    this.#policy = mode === 'login' && options.endsOnLogin === true ? { ...policy, releaseOnSuccess: true } : policy;
    this.#restarts = restarts;
  }

  get state(): ShellState {
    return this.#state;
  }

  /** Whether windows may close and the app may quit now (only while finishing). */
  get mayEnd(): boolean {
    return this.#state === 'released' || this.#state === 'finishing';
  }

  /**
   * A window is about to close (the user, the window manager, a key). The close
   * itself is always refused unless the app is finishing; in elevate mode the
   * request is taken as "cancel" and the app finishes with a denial.
   */
  closeRequested(): { allow: boolean; actions: ShellAction[] } {
    if (this.mayEnd) return { allow: true, actions: [] };
    if (this.#state === 'guarding' && this.#policy.closeMeansCancel) {
      this.#state = 'finishing';
      return { allow: false, actions: [{ type: 'finish', exitCode: EXIT.denied }] };
    }
    return { allow: false, actions: [] };
  }

  /** A quit the shell did not start itself (before-quit, window-all-closed). */
  quitRequested(): { allow: boolean } {
    return { allow: this.mayEnd };
  }

  /** SIGTERM, SIGINT or SIGHUP: end cleanly in any state. */
  signalled(signal: string): ShellAction[] {
    if (this.mayEnd) return [];
    this.#state = 'finishing';
    return [{ type: 'finish', exitCode: exitCodeForSignal(signal) }];
  }

  /**
   * The adapter carried out a restart-conversation by cancelling a running flow:
   * the CANCELLED outcome that follows is the shell's doing, not the user's.
   */
  conversationCancelled(): void {
    this.#ownCancels++;
  }

  /**
   * The UI asked to cancel. While a flow runs the engine cancels it (and its
   * outcome decides); with none running, in elevate mode, it is the user
   * declining the request: the app finishes with a denial.
   */
  cancelRequested(flowRunning: boolean): ShellAction[] {
    if (flowRunning || this.#state !== 'guarding' || !this.#policy.closeMeansCancel) return [];
    this.#state = 'finishing';
    return [{ type: 'finish', exitCode: EXIT.denied }];
  }

  /** A flow ended (the engine's outcome). */
  flowEnded(result: FlowResult): ShellAction[] {
    if (!result.ok && result.code === OUTCOME_CODES.cancelled && this.#ownCancels > 0) {
      this.#ownCancels--;
      return [];
    }
    if (this.#state !== 'guarding') return [];
    if (result.ok && this.#policy.releaseOnSuccess) {
      this.#state = 'released';
      return [{ type: 'finish', exitCode: result.exitStatus ?? EXIT.ok }];
    }
    if (!result.ok && (this.#policy.denyOn.includes(result.code) || (result.final === true && this.#policy.closeMeansCancel))) {
      this.#state = 'finishing';
      return [{ type: 'finish', exitCode: EXIT.denied }];
    }
    return [];
  }

  /** The renderer of the window on `displayId` crashed, hung, or failed to load its page. */
  rendererFailed(displayId: number, role: WindowRole): ShellAction[] {
    if (this.#state === 'emergency') {
      // The emergency page itself failed: put it back up; nothing else changes.
      return [{ type: 'recreate-window', displayId, role }];
    }
    if (this.#state !== 'guarding') return [];
    if (this.#restarts.onFailure() === 'restart') {
      const actions: ShellAction[] = [{ type: 'recreate-window', displayId, role }];
      if (role === 'conversation') actions.unshift({ type: 'restart-conversation' });
      return actions;
    }
    return this.giveUp();
  }

  /**
   * The engine went away by itself (the engine daemon stopped or dropped the
   * connection). A greeter exits (status 3) so that its service starts it anew
   * and it connects again; the other modes give up as for a failing engine.
   */
  engineLost(): ShellAction[] {
    if (this.#state !== 'guarding') return [];
    if (this.mode !== 'login') return this.giveUp();
    this.#state = 'finishing';
    return [{ type: 'finish', exitCode: EXIT.failure }];
  }

  /**
   * Chromium's GPU process died (not a clean exit): what every window showed may
   * be gone. Handled like a renderer crash of all windows at once: one failure for
   * the restart policy, every window recreated, the conversation restarted.
   */
  gpuProcessGone(windows: readonly { displayId: number; role: WindowRole }[]): ShellAction[] {
    const recreate = windows.map((w): ShellAction => ({ type: 'recreate-window', displayId: w.displayId, role: w.role }));
    if (this.#state === 'emergency') return recreate;
    if (this.#state !== 'guarding') return [];
    if (this.#restarts.onFailure() === 'give-up') return this.giveUp();
    return windows.some((w) => w.role === 'conversation') ? [{ type: 'restart-conversation' }, ...recreate] : recreate;
  }

  /** The shell cannot go on (e.g. the engine failed): emergency or denial, by mode. */
  giveUp(): ShellAction[] {
    if (this.#state !== 'guarding') return [];
    if (this.#policy.onGiveUp === 'emergency') {
      this.#state = 'emergency';
      return [{ type: 'enter-emergency' }];
    }
    this.#state = 'finishing';
    return [{ type: 'finish', exitCode: EXIT.denied }];
  }
}
