import { useRef, useState } from 'react';
import { useApp } from '../../app/store';
import { useDunning } from './store';
import { useSavedViews, viewWrites } from './queries';
import { useShortcut } from '../../app/key-dispatch';
import { useRoleRefusal } from '../team/role';

/** Saved filter + sort sets, shared by everyone on this machine's cache. */
export function SavedViews() {
  const views = useSavedViews();
  const activeViewId = useDunning((s) => s.activeViewId);
  const applyView = useDunning((s) => s.applyView);
  const { save: saveView, remove: deleteView } = viewWrites;
  const toast = useApp((s) => s.showToast);
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState('');
  const namingRef = useRef<HTMLFormElement>(null);
  useShortcut('text.leave', () => setNaming(false), { root: namingRef, enabled: naming });
  const active = views.find((v) => v.id === activeViewId) ?? null;
  // Saved views are the team's: on a team only a lead saves or deletes them (the server's table).
  const saveRefusal = useRoleRefusal('dunning.views.save', {});
  const deleteRefusal = useRoleRefusal('dunning.views.delete', {});

  const save = async () => {
    const n = name.trim();
    if (!n) return;
    try {
      await saveView(n);
      toast(`Saved the view “${n}”.`);
      setNaming(false);
      setName('');
    } catch (err) {
      toast(err instanceof Error ? err.message : String(err), 'error');
    }
  };

  return (
    <div className="dunning-views">
      <label className="dunning-field">
        <span>View</span>
        <select aria-label="Saved view" value={activeViewId ?? ''} onChange={(e) => applyView(views.find((v) => v.id === Number(e.target.value)) ?? null)}>
          <option value="">{activeViewId == null && views.length ? 'Custom' : 'All open cases'}</option>
          {views.map((v) => (
            <option key={v.id} value={v.id}>
              {v.name}
            </option>
          ))}
        </select>
      </label>
      {naming ? (
        <form
          ref={namingRef}
          className="dunning-save-view"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <input autoFocus aria-label="Name of the view" placeholder="e.g. Hard declines, EUR" value={name} maxLength={80} onChange={(e) => setName(e.target.value)} />
          <button type="submit" disabled={!name.trim()}>
            Save
          </button>
        </form>
      ) : (
        <button type="button" onClick={() => setNaming(true)} disabled={!!saveRefusal} title={saveRefusal ?? 'Save the current filters and sort as a view'}>
          Save view
        </button>
      )}
      {active && (
        <button
          type="button"
          className="dunning-link"
          disabled={!!deleteRefusal}
          title={deleteRefusal ?? undefined}
          onClick={() =>
            void deleteView(active.id).then(
              () => toast(`Deleted the view “${active.name}”.`),
              (err: unknown) => toast(err instanceof Error ? err.message : String(err), 'error'),
            )
          }
        >
          Delete view
        </button>
      )}
    </div>
  );
}
