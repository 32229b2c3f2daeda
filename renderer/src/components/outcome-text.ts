// The UI's own words for how a flow ended, by outcome code. The engine's reason
// (English, from PAM or the engine) is shown beside them as sent.
import type { Translator } from '../i18n/translate';
import type { OutcomeView } from '../state/screen-state';

export function outcomeTitle(t: Translator, outcome: OutcomeView): string {
  return (outcome.code === undefined ? undefined : t.lookup(`outcome.${outcome.code}`)) ?? t.t('outcome.failed');
}
