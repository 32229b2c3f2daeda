import { useEffect, useLayoutEffect } from 'react';

/** Names a stylesheet theme may have; anything else falls back to the default look. */
const THEME_NAME = /^[a-z0-9][a-z0-9-]{0,31}$/;

/**
 * The page-wide settings: language (screen readers pick their voice from it),
 * theme (a data attribute the stylesheets key their custom properties on) and title.
 */
export function useDocumentSettings(languageTag: string, theme: string | undefined, title: string): void {
  // Language and theme before the paint, so no screen is ever drawn in the wrong ones.
  useLayoutEffect(() => {
    document.documentElement.lang = languageTag;
  }, [languageTag]);
  useLayoutEffect(() => {
    const root = document.documentElement;
    if (theme !== undefined && THEME_NAME.test(theme)) root.dataset.theme = theme;
    else delete root.dataset.theme;
  }, [theme]);
  useEffect(() => {
    document.title = title;
  }, [title]);
}
