import { useApp, type View } from './store';
import { Icon, type IconName } from '../ui/icons';
import { withKeys, type ShortcutId } from './keymap';

const ITEMS: Array<{ view: View; label: string; icon: IconName; shortcut: ShortcutId }> = [
  { view: 'customers', label: 'Customers', icon: 'users', shortcut: 'go.customers' },
  { view: 'dunning', label: 'Dunning', icon: 'alert', shortcut: 'go.dunning' },
  { view: 'portal', label: 'Portal links', icon: 'link', shortcut: 'go.portal' },
  { view: 'settings', label: 'Settings', icon: 'gear', shortcut: 'go.settings' },
];

export function Rail() {
  const view = useApp((s) => s.view);
  const navigate = useApp((s) => s.navigate);
  const setPaletteOpen = useApp((s) => s.setPaletteOpen);
  const toggleCopilot = useApp((s) => s.toggleCopilot);
  const copilotOpen = useApp((s) => s.copilotOpen);
  const setShortcutsOpen = useApp((s) => s.setShortcutsOpen);
  return (
    <nav className="rail" aria-label="Main">
      <button type="button" className="rail-search" onClick={() => setPaletteOpen(true)} title={withKeys('Search customers', 'palette.toggle')} aria-label="Search customers">
        <Icon name="search" size={18} />
      </button>
      {ITEMS.map((item) => (
        <button
          key={item.view}
          type="button"
          className={`rail-item${view === item.view ? ' active' : ''}`}
          aria-current={view === item.view ? 'page' : undefined}
          onClick={() => navigate(item.view)}
          title={withKeys(item.label, item.shortcut)}
        >
          <Icon name={item.icon} size={18} />
          <span className="rail-label">{item.label}</span>
        </button>
      ))}
      <span className="spacer" />
      <button type="button" className="rail-item" onClick={() => setShortcutsOpen(true)} title={withKeys('Keyboard shortcuts', 'help.shortcuts')}>
        <kbd aria-hidden="true">?</kbd>
        <span className="rail-label">Keys</span>
      </button>
      <button type="button" className={`rail-item${copilotOpen ? ' active' : ''}`} onClick={toggleCopilot} title={withKeys('Copilot', 'copilot.toggle')} aria-pressed={copilotOpen}>
        <Icon name="sparkle" size={18} />
        <span className="rail-label">Copilot</span>
      </button>
    </nav>
  );
}
