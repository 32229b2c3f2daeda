// The greeter's language: every language the UI has a catalog for, each named in
// itself. The choice changes the screen at once, and each begin carries it: PAM
// speaks it during the sign-in, and the session gets it as LANG.
import { useId } from 'react';
import { useI18n } from '../i18n/i18n-context';
import { CATALOGS } from '../i18n/locale';

/** "Deutsch", "English", "Français": each language in its own words. */
function ownName(language: string): string {
  try {
    const name = new Intl.DisplayNames([language], { type: 'language' }).of(language) ?? language;
    return name.charAt(0).toLocaleUpperCase(language) + name.slice(1);
  } catch {
    return language;
  }
}

export function LanguagePicker({ language, onChoose }: { language: string; onChoose(language: string): void }) {
  const { t } = useI18n();
  const id = useId();
  return (
    <div className="toolbar-field">
      <label htmlFor={id} className="toolbar-label">
        {t('login.language')}
      </label>
      <select id={id} className="toolbar-select" value={language} onChange={(event) => onChoose(event.target.value)}>
        {Object.keys(CATALOGS).map((code) => (
          <option key={code} value={code} lang={code}>
            {ownName(code)}
          </option>
        ))}
      </select>
    </div>
  );
}
