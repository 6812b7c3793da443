const FOCUSABLE = 'input, textarea, select, button, a[href], [tabindex="0"]';

/**
 * Tab and Shift+Tab go round `box` instead of leaving it: for what covers the window (a dialog) or part of it (the
 * contact panel as an overlay), so the focus never lands on a control hidden under it. A keydown handler's helper.
 */
export function keepTabInside(e: React.KeyboardEvent, box: HTMLElement): void {
  if (e.key !== 'Tab') return;
  const focusable = [...box.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => !el.hasAttribute('disabled'));
  if (focusable.length === 0) return;
  const first = focusable[0]!;
  const last = focusable[focusable.length - 1]!;
  if (e.shiftKey && document.activeElement === first) {
    e.preventDefault();
    last.focus();
  } else if (!e.shiftKey && document.activeElement === last) {
    e.preventDefault();
    first.focus();
  }
}
