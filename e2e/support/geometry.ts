// Where the controls of the page are, against the viewport: every button, field,
// select and disclosure must be on screen; a control inside a list that scrolls
// inside itself counts as on screen when the list is.
import type { Page } from '@playwright/test';

export interface OffScreen {
  control: string;
  box: { x: number; y: number; width: number; height: number };
}

export interface PageGeometry {
  viewport: { width: number; height: number };
  /** Controls (or their scrolling list) not entirely inside the viewport. */
  offScreen: OffScreen[];
  /** The page itself scrolls (vertically, horizontally). */
  pageScrolls: { vertical: boolean; horizontal: boolean };
}

export async function pageGeometry(page: Page): Promise<PageGeometry> {
  return page.evaluate(() => {
    // Runs in the page.
    const doc = (globalThis as unknown as { document: any; innerWidth: number; innerHeight: number }).document;
    const win = globalThis as unknown as { innerWidth: number; innerHeight: number; getComputedStyle(e: unknown): any };
    const controls: any[] = [...doc.querySelectorAll('button, input, select, textarea, summary, a[href], [role="button"]')];
    const offScreen: { control: string; box: { x: number; y: number; width: number; height: number } }[] = [];
    for (const control of controls) {
      const style = win.getComputedStyle(control);
      if (style.display === 'none' || style.visibility === 'hidden' || control.getClientRects().length === 0) continue;
      // A control in a list that scrolls inside itself: the list must be on screen.
      const scroller = control.closest('.user-list');
      const target = scroller ?? control;
      const rect = target.getBoundingClientRect();
      const inside = rect.left >= -0.5 && rect.top >= -0.5 && rect.right <= win.innerWidth + 0.5 && rect.bottom <= win.innerHeight + 0.5;
      if (!inside) {
        const name = (control.getAttribute('aria-label') ?? control.textContent ?? control.tagName).trim().slice(0, 40);
        offScreen.push({ control: `${control.tagName.toLowerCase()} "${name}"`, box: { x: rect.x, y: rect.y, width: rect.width, height: rect.height } });
      }
    }
    const root = doc.scrollingElement;
    return {
      viewport: { width: win.innerWidth, height: win.innerHeight },
      offScreen,
      pageScrolls: { vertical: root.scrollHeight > win.innerHeight + 1, horizontal: root.scrollWidth > win.innerWidth + 1 },
    };
  });
}
