// The two live regions of the page, always present so that screen readers
// announce what is added to them: errors (module errors, a failed outcome, a
// refusal) in role="alert", everything else (module info, progress, the link's
// state) in role="status". Module text is rendered as text, exactly as sent.
import { useI18n } from '../i18n/i18n-context';
import type { MessageView, OutcomeView } from '../state/screen-state';
import { displayText } from './display-text';
import { outcomeTitle } from './outcome-text';

interface MessageRegionsProps {
  messages: MessageView[];
  /** A failed outcome to explain, if any. */
  failure: OutcomeView | undefined;
  refusal: string | undefined;
  /** What the UI is waiting for, if anything ("Checking…"). */
  progress: string | undefined;
}

export function MessageRegions({ messages, failure, refusal, progress }: MessageRegionsProps) {
  const translator = useI18n();
  const errors = messages.filter((m) => m.kind === 'error');
  const infos = messages.filter((m) => m.kind === 'info');
  return (
    <div className="messages">
      <div role="alert" aria-atomic="false" className="message-region message-region-alert">
        {errors.map((m) => (
          <p key={m.seq} className="message message-error">
            {displayText(m.text)}
          </p>
        ))}
        {refusal !== undefined && (
          <p className="message message-error">{translator.t('outcome.refused', { message: displayText(refusal) })}</p>
        )}
        {failure !== undefined && (
          <p className="message message-error message-outcome">
            <strong className="message-outcome-title">{outcomeTitle(translator, failure)}</strong>
            {failure.reason !== '' && <span className="message-outcome-reason">{displayText(failure.reason)}</span>}
          </p>
        )}
      </div>
      <div role="status" aria-atomic="false" className="message-region message-region-status">
        {infos.map((m) => (
          <p key={m.seq} className="message message-info">
            {displayText(m.text)}
          </p>
        ))}
        {progress !== undefined && (
          <p className="message message-progress">
            <span className="spinner" aria-hidden="true" />
            {progress}
          </p>
        )}
      </div>
    </div>
  );
}
