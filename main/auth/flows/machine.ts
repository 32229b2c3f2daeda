// The state machine runner. A flow is a table of named states; each state's step
// does its PAM work and names the next state. The runner announces phases, and
// when a step throws or the flow is interrupted it sends the flow to the cleanup
// it still owes (recover), never skipping pam_end.
import { OUTCOME_CODES } from '../../protocol';
import { describeError } from '../log';
import type { PhaseName } from '../../protocol';
import type { FlowRun } from './flow-run';

export type Next<S extends string> = S | 'done';

export type Step<S extends string> = (run: FlowRun) => Promise<Next<S>>;

export interface FlowDefinition<S extends string> {
  initial: S;
  steps: Record<S, Step<S>>;
  /** The phase the UI is told about when the flow enters `state` (none: unchanged). */
  phaseOf(state: S, run: FlowRun): PhaseName | undefined;
  /**
   * The next cleanup state after an interruption or an unexpected error, from
   * what is still set up. Steps clear what they undo before undoing it, so this
   * always moves forward and ends in 'done'.
   */
  recover(run: FlowRun): Next<S>;
}

/** Runs the flow to 'done'. Never throws: unexpected errors become INTERNAL_ERROR. */
export async function runMachine<S extends string>(
  definition: FlowDefinition<S>,
  run: FlowRun,
  onPhase: (phase: PhaseName) => void,
): Promise<void> {
  let state: Next<S> = definition.initial;
  while (state !== 'done') {
    const phase = definition.phaseOf(state, run);
    if (phase !== undefined) onPhase(phase);
    let next: Next<S>;
    try {
      next = await definition.steps[state](run);
    } catch (error) {
      if (!run.interrupted) {
        run.services.log({ event: 'flow-error', mode: run.options.mode, state, error: describeError(error) });
        run.fail(OUTCOME_CODES.internal, 'something went wrong; see the log');
      }
      next = nextCleanup(definition, run, state);
    }
    if (run.interrupted && next !== 'done') next = nextCleanup(definition, run, state);
    state = next;
  }
}

function nextCleanup<S extends string>(definition: FlowDefinition<S>, run: FlowRun, failedIn: S): Next<S> {
  const next = definition.recover(run);
  // A cleanup step that failed before clearing its own flag must not run again.
  return next === failedIn ? 'done' : next;
}


