// What the UI can ask of the engine: each action sends its request and tells the
// reducer what was sent. Answers pass through `answer` on their way to the bridge
// and are kept nowhere: the reducer hears only which batch was answered.
import { requests, type GatehouseBridge, type PowerAction } from '../protocol';
import type { UiAction } from '../state/actions';

export interface EngineActions {
  begin(user?: string, session?: string): void;
  /** Sends one answer per prompt of `batch`, in prompt order. */
  answer(batch: string, answers: ReadonlyArray<readonly [id: string, value: string]>): void;
  cancel(): void;
  /** Login: leave a flow that is no longer running and go back to the user list. */
  back(): void;
  /** Elevate: decline while no flow runs (between attempts); the engine reports it as the outcome. */
  decline(): void;
  power(action: PowerAction): void;
  /** Keys were typed while no field could take them. */
  typedWhileWaiting(): void;
}

/**
 * `chosenLocale`: the language the person picked on the screen, if any, which
 * each begin carries (PAM speaks it; a login session gets it as LANG).
 */
export function engineActions(
  bridge: GatehouseBridge,
  dispatch: (action: UiAction) => void,
  chosenLocale: () => string | undefined = () => undefined,
): EngineActions {
  return {
    begin(user, session) {
      bridge.send(requests.begin(user, session, chosenLocale()));
      dispatch({ type: 'ui/begin', ...(user === undefined ? {} : { user }), ...(session === undefined ? {} : { session }) });
    },
    answer(batch, answers) {
      for (const [id, value] of answers) bridge.send(requests.answer(id, value));
      dispatch({ type: 'ui/answered', batch });
    },
    cancel() {
      bridge.send(requests.cancel());
      dispatch({ type: 'ui/cancel' });
    },
    back() {
      dispatch({ type: 'ui/back' });
    },
    decline() {
      bridge.send(requests.cancel());
      dispatch({ type: 'ui/decline' });
    },
    power(action) {
      bridge.send(requests.power(action));
      dispatch({ type: 'ui/power' });
    },
    typedWhileWaiting() {
      dispatch({ type: 'ui/typed-while-waiting' });
    },
  };
}
