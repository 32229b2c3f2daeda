// The whole screen: the engine link and state, the language and theme the engine
// announced, the mode's header and body around the live regions, and the toolbar
// (power actions, on-screen keyboard).
import { useId, useMemo, useState } from 'react';
import type { Connection } from '../bridge/connection';
import { I18nContext } from '../i18n/i18n-context';
import { createTranslator, type Translator } from '../i18n/translate';
import { useAutoBegin } from '../hooks/useAutoBegin';
import { useDocumentSettings } from '../hooks/useDocumentSettings';
import { useEngine } from '../hooks/useEngine';
import { useRemaining } from '../hooks/useRemaining';
import { progressKey } from '../state/progress';
import type { ScreenState } from '../state/screen-state';
import { ElevateBody, ElevateHeader } from './ElevateScreen';
import { KeyboardToggle } from './KeyboardToggle';
import { LoginBody, LoginHeader } from './LoginScreen';
import { MessageRegions } from './MessageRegions';
import type { ModeScreenProps } from './mode-screen';
import { OnScreenKeyboard } from './OnScreenKeyboard';
import { PowerActions } from './PowerActions';
import { UnlockBody, UnlockHeader } from './UnlockScreen';

const SCREENS = {
  unlock: { Header: UnlockHeader, Body: UnlockBody },
  login: { Header: LoginHeader, Body: LoginBody },
  elevate: { Header: ElevateHeader, Body: ElevateBody },
} satisfies Record<string, { Header: (props: ModeScreenProps) => unknown; Body: (props: ModeScreenProps) => unknown }>;

/** A touch screen without a mouse or touchpad: show the on-screen keyboard from the start. */
const touchOnly = (): boolean =>
  typeof matchMedia === 'function' && matchMedia('(any-pointer: coarse)').matches && !matchMedia('(any-pointer: fine)').matches;

export function App({ connection, fallbackLocale }: { connection: Connection; fallbackLocale: string }) {
  const [state, actions] = useEngine(connection);
  useAutoBegin(state, actions.begin);
  const locale = state.context?.locale ?? fallbackLocale;
  const translator = useMemo(() => createTranslator(locale), [locale]);
  useDocumentSettings(translator.tag, state.context?.theme, pageTitle(translator, state));

  const [keyboardOpen, setKeyboardOpen] = useState(touchOnly);
  const keyboardId = useId();
  const delayed = useRemaining(state.delay?.until) > 0;
  const { context } = state;
  const screen = context === undefined ? undefined : SCREENS[context.mode];
  const progress = progressKey(state);

  return (
    <I18nContext.Provider value={translator}>
      <div className="screen" data-mode={context?.mode ?? 'none'}>
        <main className="card">
          {screen === undefined || context === undefined ? (
            <h1 className="title">{translator.t('app.title')}</h1>
          ) : (
            <screen.Header state={state} actions={actions} context={context} />
          )}
          <MessageRegions
            messages={state.messages}
            // A closed screen says how it ended in its own heading.
            failure={state.outcome?.ok === false && state.flow !== 'closed' ? state.outcome : undefined}
            refusal={state.refusal}
            progress={progress === undefined ? undefined : translator.t(progress)}
          />
          {screen !== undefined && context !== undefined && <screen.Body state={state} actions={actions} context={context} />}
        </main>
        <footer className="toolbar">
          {context?.mode === 'login' && state.flow === 'idle' && (
            <PowerActions actions={context.power} disabled={state.connection !== 'open' || delayed} onAction={actions.power} />
          )}
          <KeyboardToggle open={keyboardOpen} controls={keyboardId} onToggle={() => setKeyboardOpen((open) => !open)} />
          {keyboardOpen && <OnScreenKeyboard id={keyboardId} />}
        </footer>
      </div>
    </I18nContext.Provider>
  );
}

function pageTitle(translator: Translator, state: ScreenState): string {
  switch (state.context?.mode) {
    case 'unlock':
      return translator.t('unlock.title');
    case 'login':
      return translator.t('login.title');
    case 'elevate':
      return translator.t('elevate.title');
    default:
      return translator.t('app.title');
  }
}
