import { useApp, type View } from './store';
import { Icon, type IconName } from '../ui/icons';

const ITEMS: Array<{ view: View; label: string; icon: IconName; key: string }> = [
  { view: 'customers', label: 'Customers', icon: 'users', key: 'g c' },
  { view: 'dunning', label: 'Dunning', icon: 'alert', key: 'g d' },
  { view: 'portal', label: 'Portal links', icon: 'link', key: 'g p' },
  { view: 'settings', label: 'Settings', icon: 'gear', key: 'g s' },
];

export function Rail() {
  const view = useApp((s) => s.view);
  const navigate = useApp((s) => s.navigate);
  const setPaletteOpen = useApp((s) => s.setPaletteOpen);
  const toggleCopilot = useApp((s) => s.toggleCopilot);
  const copilotOpen = useApp((s) => s.copilotOpen);
  return (
    <nav className="rail" aria-label="Main">
      <button type="button" className="rail-search" onClick={() => setPaletteOpen(true)} title="Search customers (Ctrl/Cmd+K)" aria-label="Search customers">
        <Icon name="search" size={18} />
      </button>
      {ITEMS.map((item) => (
        <button
          key={item.view}
          type="button"
          className={`rail-item${view === item.view ? ' active' : ''}`}
          aria-current={view === item.view ? 'page' : undefined}
          onClick={() => navigate(item.view)}
          title={`${item.label} (${item.key})`}
        >
          <Icon name={item.icon} size={18} />
          <span className="rail-label">{item.label}</span>
        </button>
      ))}
      <span className="spacer" />
      <button type="button" className={`rail-item${copilotOpen ? ' active' : ''}`} onClick={toggleCopilot} title="Copilot (Ctrl/Cmd+J)" aria-pressed={copilotOpen}>
        <Icon name="sparkle" size={18} />
        <span className="rail-label">Copilot</span>
      </button>
    </nav>
  );
}
