// Draws the screen on the page's link to the engine (or says why there is none).
import { createRoot } from 'react-dom/client';
import type { OpenedConnection } from './bridge/open-connection';
import { App } from './components/App';
import { StartupProblem } from './components/StartupProblem';

export function mount(root: HTMLElement, opened: OpenedConnection): void {
  createRoot(root).render(
    opened.ok ? (
      <App connection={opened.connection} fallbackLocale={navigator.language} />
    ) : (
      <StartupProblem problem={opened.problem} locale={navigator.language} />
    ),
  );
}
