// What the two live regions and the Details list show, from the screen state:
// module messages in plain words where they are well known, the failed outcome's
// own sentence, the step's notes; each sentence once (a module's "Authentication
// failed" and the outcome's are one), and every raw text under Details. Pure.
import { plainModuleText } from '../i18n/plain-language';
import type { Translator } from '../i18n/translate';
import type { ScreenState } from '../state/screen-state';
import { displayText } from './display-text';
import { outcomeTitle } from './outcome-text';

export interface Line {
  /** React key. */
  id: string;
  text: string;
  /** The outcome's title: shown in bold. */
  title?: boolean;
}

export interface ScreenMessages {
  alerts: Line[];
  statuses: Line[];
  /** Raw texts behind the plain ones (module messages, the outcome's code and reason, a refusal). */
  details: string[];
}

type Input = Pick<ScreenState, 'messages' | 'refusal' | 'phase' | 'changeRetries' | 'typedWhileWaiting'> & {
  /** A failed outcome to explain, if any. */
  failure: ScreenState['outcome'];
  /** The phase the failed flow was in when it ended. */
  failedIn: ScreenState['failedIn'];
};

export function screenMessages(input: Input, translator: Translator): ScreenMessages {
  const { t } = translator;
  const alerts: Line[] = [];
  const statuses: Line[] = [];
  const details: string[] = [];
  const shown = new Set<string>();
  const add = (list: Line[], line: Line) => {
    if (shown.has(line.text)) return;
    shown.add(line.text);
    list.push(line);
  };

  for (const message of input.messages) {
    const plain = plainModuleText(message.text);
    const list = message.kind === 'error' ? alerts : statuses;
    if (plain === undefined) {
      add(list, { id: `m${message.seq}`, text: displayText(message.text) });
      continue;
    }
    details.push(displayText(message.text));
    if ('hidden' in plain) continue;
    // The change step's own note already says that the password has expired.
    if (plain.key === 'plain.passwordExpired' && input.phase === 'change-password') continue;
    add(list, { id: `m${message.seq}`, text: t(plain.key, plain.params) });
  }

  if (input.phase === 'change-password' && input.changeRetries > 0 && alerts.length === 0) {
    add(alerts, { id: 'change-again', text: t('phase.changePassword.again') });
  }

  if (input.refusal !== undefined) {
    add(alerts, { id: 'refusal', text: t('outcome.refused') });
    details.push(displayText(input.refusal));
  }

  const failure = input.failure;
  if (failure !== undefined) {
    add(alerts, { id: 'outcome', text: outcomeTitle(translator, failure), title: true });
    if (input.failedIn === 'change-password') add(alerts, { id: 'outcome-change', text: t('outcome.passwordNotChanged') });
    const raw = [failure.code, failure.reason].filter((part) => part !== undefined && part !== '').join(': ');
    if (raw !== '') details.push(displayText(raw));
  }

  if (input.typedWhileWaiting) add(statuses, { id: 'typed', text: t('delay.typedWhileWaiting') });
  return { alerts, statuses, details: [...new Set(details)] };
}
