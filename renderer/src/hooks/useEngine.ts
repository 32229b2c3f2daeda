// The screen state, fed by the bridge, and the actions the UI takes on the engine.
import { useLayoutEffect, useMemo, useReducer } from 'react';
import type { Connection } from '../bridge/connection';
import { engineActions, type EngineActions } from '../bridge/engine-actions';
import { reduce } from '../state/reducer';
import { initialScreenState, type ScreenState } from '../state/screen-state';

export type { EngineActions };

/** `chosenLocale`: the language picked on the screen (read at each begin). */
export function useEngine(connection: Connection, chosenLocale?: () => string | undefined): [ScreenState, EngineActions] {
  const [state, dispatch] = useReducer(reduce, initialScreenState);
  const { bridge } = connection;

  // The link's state first, then the events (held by the connection until now).
  // Layout effects: the held context is taken before the first paint, and the
  // first begin goes out without waiting for a frame.
  useLayoutEffect(() => connection.onStatus((status) => dispatch({ type: 'ui/connection', status })), [connection]);
  useLayoutEffect(() => bridge.subscribe(dispatch), [bridge]);

  const actions = useMemo(() => engineActions(bridge, dispatch, chosenLocale), [bridge, chosenLocale]);
  return [state, actions];
}
