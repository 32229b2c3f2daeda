// The engine daemon (`gatehouse engine`) and its client. The daemon carries the
// protocol (main/protocol) over a Unix stream socket, one message per frame:
// a 32-bit length in the host's byte order, then that many bytes of UTF-8 JSON
// (main/protocol/frames.ts). See docs/hosts.md, "gatehouse engine".
export { startEngineDaemon, type EngineDaemonOptions, type RunningDaemon } from './engine-daemon';
export { RemoteEngine, type RemoteEngineOptions } from './remote-engine';
export { SocketPathError } from './socket-file';
export { ENGINE_COMMAND, ENGINE_USAGE } from './command';
