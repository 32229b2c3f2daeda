// The flow of each mode, as a state machine definition.
import type { Mode } from '../../protocol';
import { elevateFlow } from './elevate';
import { loginFlow } from './login';
import type { FlowDefinition } from './machine';
import { unlockFlow } from './unlock';

const FLOWS: Record<Mode, FlowDefinition<string>> = {
  login: loginFlow,
  unlock: unlockFlow,
  elevate: elevateFlow,
};

export function flowFor(mode: Mode): FlowDefinition<string> {
  return FLOWS[mode];
}

export { FlowRun } from './flow-run';
export type { FlowRequest, FlowResult, FlowServices } from './flow-run';
export { runMachine } from './machine';
