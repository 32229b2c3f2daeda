// Headers on every response of the browser host. The Content-Security-Policy lets
// the page load only its own files and talk only to its own WebSocket; no inline
// script, no plugins, no framing (clickjacking a login screen), no form posts.
export function contentSecurityPolicy(port: number): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self' ws://127.0.0.1:${port}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');
}

export function securityHeaders(port: number, options: { noStore: boolean }): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(port),
    'X-Content-Type-Options': 'nosniff',
    // The entry URL carries the ticket: never send an address anywhere as a Referer.
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Cross-Origin-Opener-Policy': 'same-origin',
    ...(options.noStore ? { 'Cache-Control': 'no-store' } : {}),
  };
}
