// The polkit rules of the lab's suites: auth_self for the test users' pkexec,
// auth_admin with two administrators for `pkexec /usr/bin/id`.
import { USERS } from '../../../lab/users';

const USER = USERS.polkit;
const ADMIN_A = USERS.polkitAdminA;
const ADMIN_B = USERS.polkitAdminB;

export const RULES = `
polkit.addRule(function(action, subject) {
  if (action.id != "org.freedesktop.policykit.exec") return polkit.Result.NOT_HANDLED;
  if (["${USER.name}", "${USERS.polkitScript.name}", "${USERS.polkitE2e.name}"].indexOf(subject.user) < 0) return polkit.Result.NOT_HANDLED;
  if (action.lookup("program") == "/usr/bin/id") return polkit.Result.AUTH_ADMIN;
  return polkit.Result.AUTH_SELF;
});
polkit.addAdminRule(function(action, subject) {
  return ["unix-user:${ADMIN_A.name}", "unix-user:${ADMIN_B.name}"];
});
`;

