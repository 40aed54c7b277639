// Types for functions that run IN the page (page.evaluate, locator.evaluate):
// the node-side tsconfig has no DOM library, and these functions are
// serialised, so they may use types from here but no values.

export interface PageElement {
  scrollTop: number;
  readonly scrollHeight: number;
  readonly clientHeight: number;
  readonly scrollWidth: number;
  readonly clientWidth: number;
  readonly tagName: string;
  readonly outerHTML: string;
  open?: boolean;
  getAttribute(name: string): string | null;
  getBoundingClientRect(): { x: number; y: number; width: number; height: number };
}

export interface PageWindow {
  document: { activeElement: PageElement | null; body: PageElement };
  getComputedStyle(el: PageElement, pseudo?: string): { fontStyle: string; fontFamily: string; outlineStyle: string; outlineWidth: string };
  requestAnimationFrame(callback: () => void): number;
}
