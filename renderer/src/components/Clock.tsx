// Time and date in the UI's language, for the lock screen and the greeter.
import { useMemo } from 'react';
import { useI18n } from '../i18n/i18n-context';
import { useNow } from '../hooks/useNow';

export function Clock() {
  const { tag } = useI18n();
  const now = useNow(1000);
  const [time, date] = useMemo(
    () => [
      new Intl.DateTimeFormat(tag, { hour: 'numeric', minute: '2-digit' }),
      new Intl.DateTimeFormat(tag, { weekday: 'long', day: 'numeric', month: 'long' }),
    ],
    [tag],
  );
  const at = new Date(now);
  return (
    <div className="clock">
      <time className="clock-time" dateTime={at.toISOString()}>
        {time.format(at)}
      </time>
      <span className="clock-date">{date.format(at)}</span>
    </div>
  );
}
