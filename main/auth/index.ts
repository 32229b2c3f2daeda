// The auth engine: the login, unlock and elevate flows over libpam, for any host.
// Hosts create one engine per seat and connect it to their transport:
//
//   const engine = createEngine(engineOptionsFor(config, 'login', {}), {
//     event: (e) => send(e),            // every protocol event, in order
//     result: (r) => ...,               // every PAM call (pamtester op names)
//     outcome: (o) => ...,              // after each flow
//   });
//   transport.onMessage((m) => receiveUntrusted(engine, m));   // parsed once, here
//
// A third argument takes the transactions from another PAM source (polkit's
// helper: main/sources/polkit-helper; greetd: main/sources/greetd).
import type { Engine, EngineObserver, EngineOptions } from './api';
import type { EngineSources } from './pam-calls';
import { SeatEngine, systemDeps } from './engine';

export type {
  CallResult,
  ElevateSettings,
  Engine,
  EngineObserver,
  EngineOptions,
  FlowOutcome,
  LockoutPolicy,
  LoginSettings,
  SessionChoice,
} from './api';

export type { CallKey, EngineSources, PamHandle, StartTransaction } from './pam-calls';
export { receiveUntrusted } from './receive-untrusted';

/**
 * One engine (one seat): at most one PAM transaction at a time. `sources` plugs
 * in another PAM source than the in-process addon, with the session launcher and
 * the unreported calls that come with it, and the password change through passwd.
 */
export function createEngine(options: EngineOptions, observer: EngineObserver, sources: EngineSources = {}): Engine {
  const deps = systemDeps();
  return new SeatEngine(options, observer, {
    ...deps,
    ...(sources.startTransaction === undefined ? {} : { startTransaction: sources.startTransaction }),
    ...(sources.launchSession === undefined ? {} : { launchSession: sources.launchSession }),
    ...(sources.prepareSession === undefined ? {} : { prepareSession: sources.prepareSession }),
    ...(sources.unreportedCalls === undefined ? {} : { unreportedCalls: sources.unreportedCalls }),
    ...(sources.changePasswordOutOfProcess === undefined ? {} : { changePasswordOutOfProcess: sources.changePasswordOutOfProcess }),
  });
}
