const HUES = [210, 260, 330, 20, 150, 190, 45, 290];

/** Initials on a colour picked from the key, so one person keeps one colour. */
export function Avatar({ label, colorKey, size = 40 }: { label: string; colorKey: string; size?: number }) {
  let hash = 0;
  for (const ch of colorKey) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return (
    <span className="avatar" aria-hidden="true" style={{ width: size, height: size, fontSize: size * 0.38, ['--hue' as string]: HUES[hash % HUES.length] }}>
      {label}
    </span>
  );
}
