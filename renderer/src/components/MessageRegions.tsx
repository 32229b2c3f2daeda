// The two live regions of the page, always present so that screen readers
// announce what is added to them: errors (module errors, a failed outcome, a
// refusal) in role="alert", everything else (module info, progress, the link's
// state) in role="status". Well-known PAM texts are put in plain words
// (screen-messages.ts); the raw texts stay one click away, under Details, outside
// the live regions. Module text is rendered as text, never as markup.
import { useI18n } from '../i18n/i18n-context';
import type { ScreenMessages } from './screen-messages';

interface MessageRegionsProps {
  messages: ScreenMessages;
  /** What the UI is waiting for, if anything ("Checking…"). */
  progress: string | undefined;
}

export function MessageRegions({ messages, progress }: MessageRegionsProps) {
  const { t } = useI18n();
  return (
    <div className="messages">
      <div role="alert" aria-atomic="false" className="message-region message-region-alert">
        {messages.alerts.map((line) =>
          line.title === true ? (
            <p key={line.id} className="message message-error message-outcome">
              <strong className="message-outcome-title">{line.text}</strong>
            </p>
          ) : (
            <p key={line.id} className="message message-error">
              {line.text}
            </p>
          ),
        )}
      </div>
      <div role="status" aria-atomic="false" className="message-region message-region-status">
        {messages.statuses.map((line) => (
          <p key={line.id} className="message message-info">
            {line.text}
          </p>
        ))}
        {progress !== undefined && (
          <p className="message message-progress">
            <span className="spinner" aria-hidden="true" />
            {progress}
          </p>
        )}
      </div>
      {messages.details.length > 0 && (
        <details className="details">
          <summary className="details-summary">{t('plain.details')}</summary>
          <ul className="details-list">
            {messages.details.map((text) => (
              <li key={text} className="details-item">
                {text}
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
