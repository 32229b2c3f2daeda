// The app:// scheme: registered as a privileged standard scheme before the app is
// ready (so pages get a real origin, a secure context and their CSP), then served
// from the built files on the shell's session (see asset-response.ts).
import { protocol, type Session } from 'electron';
import { APP_SCHEME, SHELL_HOST, UI_HOST, type BuiltFiles } from './app-origin';
import { assetResponse } from './asset-response';

/** Must run before the app's `ready` event. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
    },
  ]);
}

export function serveAppScheme(session: Session, files: BuiltFiles): void {
  const roots = { [UI_HOST]: files.rendererDir, [SHELL_HOST]: files.pagesDir };
  session.protocol.handle(APP_SCHEME, (request) => {
    const { status, headers, body } = assetResponse(request.url, request.method, roots);
    return new Response(body === undefined ? null : body, { status, headers });
  });
}
