// The password change through the system's setuid passwd(1), for flows that run
// as the user (unlock, elevate): see passwd-run.ts.
export { changePasswordWithPasswd, passwdEnvironment, PASSWD } from './passwd-run';
export type { PasswdChangeRequest, PasswdChangeResult, PasswdRunOptions } from './passwd-run';
export { findHelper, HELPER_NAME } from './helper-path';
