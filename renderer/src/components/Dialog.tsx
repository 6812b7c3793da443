import { useRef, type ReactNode } from 'react';
import { keepTabInside } from '../features/ui/keepTabInside';
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
    if (ref.current) keepTabInside(e, ref.current);
  };
  return (
    <div className="backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div ref={ref} className={`dialog ${className ?? ''}`} role="dialog" aria-modal="true" aria-label={title} onKeyDown={onKeyDown} data-testid={testId}>
        {children}
      </div>
    </div>
  );
}
