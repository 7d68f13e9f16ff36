// Inline SVG icons (no icon font, no emoji: both depend on fonts the machine may lack).
export type IconName = 'search' | 'users' | 'alert' | 'link' | 'gear' | 'sparkle' | 'copy' | 'check' | 'refresh' | 'external' | 'close';

const PATHS: Record<IconName, string> = {
  search: 'M11 4a7 7 0 1 1 0 14 7 7 0 0 1 0-14zm0 2a5 5 0 1 0 0 10 5 5 0 0 0 0-10zm5.3 9.9 4.4 4.4-1.4 1.4-4.4-4.4z',
  users: 'M9 11a4 4 0 1 1 0-8 4 4 0 0 1 0 8zm0 2c4 0 7 2 7 5v2H2v-2c0-3 3-5 7-5zm8-2a3 3 0 1 0 0-6v2a1 1 0 1 1 0 2zm1 2.2c2.4.6 4 2.2 4 4.8v2h-4v-2c0-1.9-.7-3.5-2-4.6z',
  alert: 'M12 2 1 21h22L12 2zm0 4.5 7.5 13h-15L12 6.5zM11 10v5h2v-5zm0 6v2h2v-2z',
  link: 'M10.6 13.4a1 1 0 0 1 0-1.4l3.4-3.4a1 1 0 1 1 1.4 1.4L12 13.4a1 1 0 0 1-1.4 0zM8 17a3 3 0 0 1-2.1-5.1l2-2 1.4 1.4-2 2A1 1 0 0 0 8.7 15l2-2 1.4 1.4-2 2A3 3 0 0 1 8 17zm8-10a3 3 0 0 1 2.1 5.1l-2 2-1.4-1.4 2-2A1 1 0 0 0 15.3 9l-2 2-1.4-1.4 2-2A3 3 0 0 1 16 7z',
  gear: 'M12 8a4 4 0 1 1 0 8 4 4 0 0 1 0-8zm0 2a2 2 0 1 0 0 4 2 2 0 0 0 0-4zM10.5 2h3l.5 2.6 1.8.8 2.2-1.5 2.1 2.1-1.5 2.2.8 1.8 2.6.5v3l-2.6.5-.8 1.8 1.5 2.2-2.1 2.1-2.2-1.5-1.8.8-.5 2.6h-3l-.5-2.6-1.8-.8-2.2 1.5-2.1-2.1 1.5-2.2-.8-1.8L2 13.5v-3l2.6-.5.8-1.8-1.5-2.2 2.1-2.1 2.2 1.5 1.8-.8z',
  sparkle: 'M12 2l2.2 6.3L20.5 10.5l-6.3 2.2L12 19l-2.2-6.3L3.5 10.5l6.3-2.2zM19 15l1 2.5 2.5 1-2.5 1L19 22l-1-2.5-2.5-1 2.5-1z',
  copy: 'M8 3h11v13h-2V5H8zm-3 4h10v14H5zm2 2v10h6V9z',
  check: 'M9 16.2 4.8 12l-1.4 1.4L9 19 21 7l-1.4-1.4z',
  refresh: 'M17.7 6.3A8 8 0 1 0 20 12h-2a6 6 0 1 1-1.8-4.2L13 11h7V4z',
  external: 'M14 3h7v7h-2V6.4l-9.3 9.3-1.4-1.4L17.6 5H14zM5 5h6v2H7v10h10v-4h2v6H5z',
  close: 'M6.4 5 5 6.4 10.6 12 5 17.6 6.4 19 12 13.4 17.6 19 19 17.6 13.4 12 19 6.4 17.6 5 12 10.6z',
};

export function Icon({ name, size = 16, label }: { name: IconName; size?: number; label?: string }) {
  return (
    <svg width={size} height={size} viewBox="0 0 24 24" fill="currentColor" role={label ? 'img' : undefined} aria-hidden={label ? undefined : true} aria-label={label}>
      <path d={PATHS[name]} />
    </svg>
  );
}
