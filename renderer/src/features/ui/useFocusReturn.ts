import { useEffect, useState, type RefObject } from 'react';

const FOCUSABLE = 'input, textarea, select, button';

/**
 * Gives focus back on close: to the element that had it, or, when that one was rendered anew meanwhile (the
 * composer behind the settings page), to the element now in its place, known by the same id or test id.
 */
function returnFocus(before: Element | null): void {
  if (!(before instanceof HTMLElement) || before === document.body) return;
  if (before.isConnected) return before.focus();
  const key = before.id ? `#${CSS.escape(before.id)}` : before.dataset.testid ? `[data-testid="${CSS.escape(before.dataset.testid)}"]` : null;
  if (key) document.querySelector<HTMLElement>(key)?.focus();
}

/**
 * The one way every overlay (dialogs, the media viewer, the settings page) handles focus: in when it opens (unless
 * a child's autoFocus already took it), back where it was when it closes.
 */
export function useFocusReturn(ref: RefObject<HTMLElement | null>): void {
  // Read while rendering the first time: by the time effects run, a child's autoFocus has already moved focus.
  const [before] = useState(() => document.activeElement);
  useEffect(() => {
    const box = ref.current;
    if (box && !box.contains(document.activeElement)) box.querySelector<HTMLElement>(FOCUSABLE)?.focus();
    return () => returnFocus(before);
  }, [ref, before]);
}
