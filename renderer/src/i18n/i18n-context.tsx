// The translator for the locale the engine announced, to every component.
import { createContext, useContext } from 'react';
import { createTranslator, type Translator } from './translate';

export const I18nContext = createContext<Translator>(createTranslator('en'));

export function useI18n(): Translator {
  return useContext(I18nContext);
}
