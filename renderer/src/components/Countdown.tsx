// "Try again in N seconds" while the engine refuses new attempts (a long lockout
// in minutes). role="timer" is a live region that stays quiet: the failure itself
// was already announced.
import { useI18n } from '../i18n/i18n-context';
import { useRemaining } from '../hooks/useRemaining';
import type { ScreenState } from '../state/screen-state';

export function Countdown({ delay }: { delay: ScreenState['delay'] }) {
  const { plural } = useI18n();
  const remaining = useRemaining(delay?.until);
  if (delay === undefined || remaining <= 0) return null;
  const seconds = Math.ceil(remaining / 1000);
  const text =
    delay.reason === 'lockout'
      ? seconds > 90
        ? plural('delay.lockoutMinutes', Math.ceil(seconds / 60))
        : plural('delay.lockout', seconds)
      : plural('delay.failDelay', seconds);
  return (
    <p role="timer" className="countdown">
      {text}
    </p>
  );
}
