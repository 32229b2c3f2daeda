import type { EngineActions } from '../hooks/useEngine';
import type { ScreenContext, ScreenState } from '../state/screen-state';

/**
 * Each mode draws a header (who, what, the step) and a body (the form); App puts
 * the live regions between them, always at the same place in the tree.
 */
export interface ModeScreenProps {
  state: ScreenState;
  actions: EngineActions;
  context: ScreenContext;
}
