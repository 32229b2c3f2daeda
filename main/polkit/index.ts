// The polkit authentication agent: registers with polkitd on the system bus and
// turns each BeginAuthentication into an engine conversation whose PAM source is
// polkit-agent-helper-1 (main/sources/polkit-helper). Hosts (terminal, browser,
// Electron) show the conversations through a RequestHandler:
//
//   const agent = await PolkitAgent.start({ subject: { process: pid }, locale, log,
//     handler: async (request, cancelled) => {
//       const session = new RequestSession(request, settings, uiObserver, cancelled);
//       connectUi(session.engine);
//       return session.result;            // authenticated | not-authorized | dismissed
//     } });
//   ...
//   await agent.stop();
export { PolkitAgent, AgentError, systemBusAddress, type AgentOptions, type SubjectChoice } from './agent';
export { presentRequest, type Identity, type PresentedRequest } from './presentation';
export { RequestQueue, POLKIT_ERRORS, type RequestHandler, type RequestResult } from './request-queue';
export {
  RequestSession,
  DEFAULT_MAX_ATTEMPTS,
  requestEngineOptions,
  requestResultOf,
  requestSettingsFor,
  type RequestSettings,
} from './request-session';
export { describeSubject, processSubject, sessionSubject, SubjectError, type AgentSubject } from './subject';
export { agentLocale } from './locale';
