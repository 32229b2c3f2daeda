// The whole screen: the engine link and state, the language and theme, the
// mode's header and body around the live regions in a stage that scrolls
// inside itself when it must, and the toolbar (power actions, language,
// keyboard layout, on-screen keyboard), which always stays in view.
import { useCallback, useId, useMemo, useRef, useState } from 'react';
import type { Connection } from '../bridge/connection';
import { I18nContext } from '../i18n/i18n-context';
import { resolveLocale } from '../i18n/locale';
import { createTranslator, type Translator } from '../i18n/translate';
import { useAutoBegin } from '../hooks/useAutoBegin';
import { useDocumentSettings } from '../hooks/useDocumentSettings';
import { useEngine } from '../hooks/useEngine';
import { useRemaining } from '../hooks/useRemaining';
import { offeredLayouts } from '../keyboard/layouts';
import { progressKey } from '../state/progress';
import type { ScreenState } from '../state/screen-state';
import { ElevateBody, ElevateHeader } from './ElevateScreen';
import { KeyboardToggle } from './KeyboardToggle';
import { LanguagePicker } from './LanguagePicker';
import { LayoutSwitch } from './LayoutSwitch';
import { LoginBody, LoginHeader } from './LoginScreen';
import { MessageRegions } from './MessageRegions';
import type { ModeScreenProps } from './mode-screen';
import { OnScreenKeyboard } from './OnScreenKeyboard';
import { PowerActions } from './PowerActions';
import { screenMessages } from './screen-messages';
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
  // The language picked on the greeter; each begin carries it to the engine.
  const [chosenLanguage, setChosenLanguage] = useState<string | undefined>(undefined);
  const chosen = useRef<string | undefined>(undefined);
  const readChosen = useCallback(() => chosen.current, []);
  const [state, actions] = useEngine(connection, readChosen);
  useAutoBegin(state, actions.begin);
  const locale = chosenLanguage ?? state.context?.locale ?? fallbackLocale;
  const translator = useMemo(() => createTranslator(locale), [locale]);
  useDocumentSettings(translator.tag, state.context?.theme, pageTitle(translator, state));

  const [keyboardOpen, setKeyboardOpen] = useState(touchOnly);
  const keyboardId = useId();
  const layouts = useMemo(() => offeredLayouts(state.context?.keyboardLayouts), [state.context?.keyboardLayouts]);
  const [layoutIndex, setLayoutIndex] = useState(0);
  const layout = layouts[layoutIndex] ?? layouts[0]!;
  const delayed = useRemaining(state.delay?.until) > 0;
  const { context } = state;
  const screen = context === undefined ? undefined : SCREENS[context.mode];
  const progress = progressKey(state);
  const greeting = context?.mode === 'login' && state.flow === 'idle';
  // An end screen (unlocked, approved, declined) has nothing left to type.
  const typing = state.flow !== 'closed';
  const messages = screenMessages(
    {
      messages: state.messages,
      // A closed screen says how it ended in its own heading.
      failure: state.outcome?.ok === false && state.flow !== 'closed' ? state.outcome : undefined,
      failedIn: state.failedIn,
      refusal: state.refusal,
      phase: state.phase,
      changeRetries: state.changeRetries,
      typedWhileWaiting: state.typedWhileWaiting,
    },
    translator,
  );

  const chooseLanguage = (language: string) => {
    chosen.current = language;
    setChosenLanguage(language);
  };

  return (
    <I18nContext.Provider value={translator}>
      <div className="screen" data-mode={context?.mode ?? 'none'} data-keyboard={typing && keyboardOpen ? 'open' : 'closed'}>
        <div className="stage">
          <main className="card">
            {screen === undefined || context === undefined ? (
              <h1 className="title">{translator.t('app.title')}</h1>
            ) : (
              <screen.Header state={state} actions={actions} context={context} />
            )}
            <MessageRegions messages={messages} progress={progress === undefined ? undefined : translator.t(progress)} />
            {screen !== undefined && context !== undefined && <screen.Body state={state} actions={actions} context={context} />}
          </main>
        </div>
        <footer className="toolbar-area">
          <div className="toolbar">
            {greeting && (
              <PowerActions actions={context.power} disabled={state.connection !== 'open' || delayed} onAction={actions.power} />
            )}
            {greeting && <LanguagePicker language={resolveLocale(locale).language} onChoose={chooseLanguage} />}
            {typing && (keyboardOpen || layouts.length > 1) && (
              <LayoutSwitch layouts={layouts} current={layoutIndex} onSwitch={setLayoutIndex} />
            )}
            {typing && <KeyboardToggle open={keyboardOpen} controls={keyboardId} onToggle={() => setKeyboardOpen((open) => !open)} />}
          </div>
          {typing && keyboardOpen && <OnScreenKeyboard id={keyboardId} layout={layout} />}
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
