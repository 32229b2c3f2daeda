// When the page cannot reach an engine at all (opened without serve's token, or a
// preload speaking another protocol version).
import { createTranslator } from '../i18n/translate';

export function StartupProblem({ problem, locale }: { problem: 'no-token' | 'incompatible'; locale: string }) {
  const { t } = createTranslator(locale);
  return (
    <div className="screen" data-mode="none">
      <main className="card">
        <h1 className="title">{t('app.title')}</h1>
        <div role="alert" className="message-region message-region-alert">
          <p className="message message-error">{t(problem === 'no-token' ? 'connection.noToken' : 'connection.incompatible')}</p>
        </div>
      </main>
    </div>
  );
}
