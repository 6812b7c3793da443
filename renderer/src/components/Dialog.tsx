import { useRef, type ReactNode } from 'react';
import { useFocusReturn } from '../features/ui/useFocusReturn';

interface Props {
  title: string;
  onClose(): void;
  children: ReactNode;
  className?: string;
  testId?: string;
}

/** A modal: labelled, Escape closes, Tab stays inside, focus returns where it was. */
export function Dialog({ title, onClose, children, className, testId }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  useFocusReturn(ref);
  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      onClose();
    }
    if (e.key !== 'Tab' || !ref.current) return;
    const focusable = [...ref.current.querySelectorAll<HTMLElement>('input, textarea, select, button, a[href], [tabindex="0"]')].filter((el) => !el.hasAttribute('disabled'));
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
  };
  return (
    <div className="backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div ref={ref} className={`dialog ${className ?? ''}`} role="dialog" aria-modal="true" aria-label={title} onKeyDown={onKeyDown} data-testid={testId}>
        {children}
      </div>
    </div>
  );
}
