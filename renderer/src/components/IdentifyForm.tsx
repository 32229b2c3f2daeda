// login, before a flow: pick a configured user or type a name, and choose a
// session when there are several. An empty name is allowed: then PAM asks for it itself.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useI18n } from '../i18n/i18n-context';
import type { ScreenContext } from '../state/screen-state';
import { UserList } from './UserList';

interface IdentifyFormProps {
  context: ScreenContext;
  /** The session chosen last (kept when the person came back to the list). */
  session: string | undefined;
  /** No new attempt may start now (a delay runs, or the link is down). */
  disabled: boolean;
  onBegin(user: string | undefined, session: string | undefined): void;
}

export function IdentifyForm({ context, session: lastSession, disabled, onBegin }: IdentifyFormProps) {
  const { t } = useI18n();
  const nameId = useId();
  const sessionId = useId();
  const nameInput = useRef<HTMLInputElement>(null);
  const [session, setSession] = useState(lastSession ?? context.sessions[0]?.id);
  const chosenSession = context.sessions.some((s) => s.id === session) ? session : context.sessions[0]?.id;

  // Focus goes to the first user of the list (UserList), or here when there is no list.
  const noList = context.users.length === 0;
  useEffect(() => {
    if (noList && !disabled) nameInput.current?.focus();
  }, [noList, disabled]);

  const submitName = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (disabled) return;
    const name = nameInput.current?.value.trim() ?? '';
    onBegin(name === '' ? undefined : name, chosenSession);
  };

  return (
    <form className="identify" onSubmit={submitName} noValidate>
      {context.users.length > 0 && (
        <UserList
          legend={t('login.chooseUser')}
          users={context.users}
          disabled={disabled}
          focusFirst
          onChoose={(user) => onBegin(user, chosenSession)}
        />
      )}
      <div className="field">
        <label className="field-label" htmlFor={nameId}>
          {context.users.length > 0 ? t('login.otherUser') : t('login.userName')}
        </label>
        <input
          id={nameId}
          ref={nameInput}
          className="field-input"
          type="text"
          autoComplete="off"
          autoCorrect="off"
          autoCapitalize="off"
          spellCheck={false}
          enterKeyHint="next"
          disabled={disabled}
          data-osk-target=""
          onKeyDown={(event) => {
            // Escape empties the name; nothing else of the choice changes.
            if (event.key === 'Escape' && event.currentTarget.value !== '') {
              event.preventDefault();
              event.currentTarget.value = '';
            }
          }}
        />
      </div>
      {/* One session is no choice: it is used without asking. */}
      {context.sessions.length > 1 && (
        <div className="field">
          <label className="field-label" htmlFor={sessionId}>
            {t('login.session')}
          </label>
          <select
            id={sessionId}
            className="field-input"
            value={chosenSession}
            onChange={(event) => setSession(event.target.value)}
            disabled={disabled}
          >
            {context.sessions.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </div>
      )}
      <button type="submit" className="button button-primary" disabled={disabled}>
        {t('login.next')}
      </button>
    </form>
  );
}
