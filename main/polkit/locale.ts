// The locale the agent registers with: polkitd translates each request's message
// and details into it, as for polkit's own agents (setlocale's LC_MESSAGES).
export function agentLocale(env: NodeJS.ProcessEnv = process.env): string {
  for (const name of ['LC_ALL', 'LC_MESSAGES', 'LANG'] as const) {
    const value = env[name];
    if (value !== undefined && value !== '') return value;
  }
  return 'C';
}
