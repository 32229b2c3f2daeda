// axe-core on the current page: only serious and critical violations fail a
// scan; each is reported with the rule, the impact and the offending markup.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';

export interface Violation {
  rule: string;
  impact: string;
  nodes: string[];
}

export async function seriousViolations(page: Page): Promise<Violation[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ rule: v.id, impact: v.impact ?? 'unknown', nodes: v.nodes.map((n) => n.html.slice(0, 200)) }));
}
