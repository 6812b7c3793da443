/** Stroke icons on a 16-px grid; decorative (the control carries the accessible name). */
const PATHS = {
  clock: 'M8 14A6 6 0 1 0 8 2a6 6 0 0 0 0 12zM8 5v3l2 1.5',
  one: 'M3.5 8.5l3 3 6-7',
  two: 'M1.5 8.5l3 3 6-7M7.5 11.5l1 0.5 6-7.5',
  failed: 'M8 14A6 6 0 1 0 8 2a6 6 0 0 0 0 12zM8 5v3.5M8 11v.01',
  warning: 'M8 2l6.5 11.5h-13zM8 6.5v3M8 11.5v.01',
  scheduled: 'M3 4h10v9H3zM3 7h10M6 2.5v3M10 2.5v3',
  search: 'M7 12A5 5 0 1 0 7 2a5 5 0 0 0 0 10zM10.5 10.5L14 14',
  plus: 'M8 3v10M3 8h10',
  gear: 'M8 10.5a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5zM8 1.5v2M8 12.5v2M1.5 8h2M12.5 8h2M3.4 3.4l1.4 1.4M11.2 11.2l1.4 1.4M3.4 12.6l1.4-1.4M11.2 4.8l1.4-1.4',
  inbox: 'M2 9l2-6h8l2 6v4H2zM2 9h3.5l1 1.5h3l1-1.5H14',
  unread: 'M2 4h12v8H2zM2 4l6 5 6-5',
  send: 'M2 8l12-5.5L10 14l-2-5z',
  clip: 'M11.5 7l-4.5 4.5a2.5 2.5 0 0 1-3.5-3.5L8.5 3a1.7 1.7 0 0 1 2.4 2.4L6 10.3',
  close: 'M4 4l8 8M12 4l-8 8',
  file: 'M4 1.5h5l3 3v10H4zM9 1.5v3h3',
  blocked: 'M8 14A6 6 0 1 0 8 2a6 6 0 0 0 0 12zM3.8 3.8l8.4 8.4',
  phone: 'M4 2h3l1 3-1.5 1a7 7 0 0 0 3.5 3.5L11 8l3 1v3a1.5 1.5 0 0 1-1.5 1.5A11 11 0 0 1 2.5 3.5 1.5 1.5 0 0 1 4 2z',
  bolt: 'M9 1.5L3.5 9H8l-1 5.5L12.5 7H8z',
  copy: 'M5.5 5.5h8v8h-8zM10.5 5.5v-3h-8v8h3',
  panel: 'M1.5 3h13v10h-13zM10 3v10',
  keyboard: 'M1.5 4h13v8h-13zM4 6.5h.01M6.5 6.5h.01M9 6.5h.01M11.5 6.5h.01M4.5 9.5h7',
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name, size = 16, className }: { name: IconName; size?: number; className?: string }) {
  return (
    <svg className={`icon ${className ?? ''}`} width={size} height={size} viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <path d={PATHS[name]} fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
