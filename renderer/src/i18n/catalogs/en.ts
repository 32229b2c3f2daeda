// English, the reference catalog: every other catalog has exactly these keys.
// `{name}` is a placeholder; keys ending in .one / .other are plural forms
// (Intl.PluralRules categories; a catalog may add .zero, .two, .few, .many).
export const en = {
  'app.title': 'Gatehouse',

  'connection.connecting': 'Connecting…',
  'connection.lost': 'Connection lost. Reconnecting…',
  'connection.noToken': 'This page needs the address that gatehouse serve printed, including its token.',
  'connection.incompatible': 'This screen and the authentication service speak different protocol versions.',

  'unlock.title': 'Locked',
  'unlock.submit': 'Unlock',
  'unlock.done': 'Unlocked',

  'login.title': 'Sign in',
  'login.chooseUser': 'Choose a user',
  'login.otherUser': 'Other user',
  'login.userName': 'User name',
  'login.next': 'Next',
  'login.session': 'Session',
  'login.back': 'Choose another user',
  'login.signingInAs': 'Signing in as {user}',
  'login.submit': 'Sign in',
  'login.sessionRunning': 'Session running',

  'elevate.title': 'Authentication required',
  'elevate.program': '{program} wants to:',
  'elevate.asUser': 'Confirm as {user}',
  'elevate.chooseAdmin': 'Who confirms?',
  'elevate.submit': 'Confirm',
  'elevate.cancel': 'Cancel',
  'elevate.approved': 'Approved',
  'elevate.declined': 'Request cancelled',
  'elevate.handedOver': 'Answer passed to {program}',
  'elevate.notAuthorized': 'Not authorized',
  'elevate.details': 'Details of the request',
  'elevate.actionId': 'Action',

  'phase.changePassword.title': 'Change your password',
  'phase.changePassword.help': 'Your password has expired. Choose a new one to continue.',
  'phase.changePassword.submit': 'Change password',

  'prompt.unlabelled': 'Answer',
  'prompt.capsLock': 'Caps Lock is on',
  'prompt.yes': 'Yes',
  'prompt.no': 'No',
  'prompt.checking': 'Checking…',
  'prompt.waiting': 'Waiting for the authentication service…',
  'prompt.cancelling': 'Cancelling…',
  'prompt.starting': 'Starting…',

  'delay.failDelay.one': 'Try again in {count} second',
  'delay.failDelay.other': 'Try again in {count} seconds',
  'delay.lockout.one': 'Locked. Try again in {count} second',
  'delay.lockout.other': 'Locked. Try again in {count} seconds',
  'delay.lockoutMinutes.one': 'Locked. Try again in {count} minute',
  'delay.lockoutMinutes.other': 'Locked. Try again in {count} minutes',

  'outcome.tryAgain': 'Try again',
  'outcome.failed': 'That did not work',
  'outcome.PAM_AUTH_ERR': 'Authentication failed',
  'outcome.PAM_USER_UNKNOWN': 'Authentication failed',
  'outcome.PAM_MAXTRIES': 'Too many attempts',
  'outcome.PAM_ACCT_EXPIRED': 'This account has expired',
  'outcome.PAM_PERM_DENIED': 'Access denied',
  'outcome.PAM_AUTHTOK_ERR': 'The password was not changed',
  'outcome.PAM_AUTHINFO_UNAVAIL': 'The authentication service is unavailable',
  'outcome.PROMPT_TIMEOUT': 'Timed out waiting for an answer',
  'outcome.LOCKED_OUT': 'Too many failed attempts',
  'outcome.NOT_ALLOWED': 'This user is not allowed to do this',
  'outcome.SESSION_FAILED': 'The session could not be started',
  'outcome.INTERNAL_ERROR': 'Something went wrong',
  'outcome.refused': 'Request refused: {message}',

  'power.label': 'Power',
  'power.poweroff': 'Power off',
  'power.reboot': 'Restart',
  'power.suspend': 'Suspend',

  'keyboard.show': 'Show the on-screen keyboard',
  'keyboard.hide': 'Hide the on-screen keyboard',
  'keyboard.label': 'On-screen keyboard',
  'keyboard.shift': 'Shift',
  'keyboard.backspace': 'Backspace',
  'keyboard.enter': 'Enter',
  'keyboard.space': 'Space',
  'keyboard.symbols': 'Symbols',
  'keyboard.letters': 'Letters',
} as const;

export type MessageKey = keyof typeof en;
export type Catalog = Record<MessageKey, string> & Partial<Record<string, string>>;
