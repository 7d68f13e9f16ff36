import { useRef, useState } from 'react';
import type { NoteView } from '../../../../../shared/contract/customers';
import { errorMessage } from '../../../api/client';
import { When } from '../../../ui/format';
import { noteTooLong } from '../../../ui/note-limit';
import { useShortcut } from '../../../app/key-dispatch';
import { useUpdateNote } from '../queries';

/**
 * One note, with Edit: the edited text stays in the box until it is saved or the agent cancels
 * (Esc cancels only an unchanged edit: a changed one asks to Save or Cancel). Focus goes back to Edit.
 */
export function NoteItem({ note, customerId }: { note: NoteView; customerId: string }) {
  const updateNote = useUpdateNote(customerId);
  const boxRef = useRef<HTMLTextAreaElement>(null);
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(note.body);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const editButton = useRef<HTMLButtonElement>(null);

  const finish = () => {
    setEditing(false);
    setError(null);
    requestAnimationFrame(() => editButton.current?.focus());
  };

  const start = () => {
    setText(note.body);
    setError(null);
    setEditing(true);
  };
  const save = async () => {
    const body = text.trim();
    if (!body) return setError('A note cannot be empty. Cancel to keep the current text.');
    const tooLong = noteTooLong(body);
    if (tooLong) return setError(`${tooLong} Your text is still here.`);
    if (body === note.body) return finish();
    setSaving(true);
    try {
      await updateNote.mutateAsync({ noteId: note.id, body });
      finish();
    } catch (err) {
      setError(`The change was not saved: ${errorMessage(err)} Your text is still here.`);
    } finally {
      setSaving(false);
    }
  };

  useShortcut('text.submit', () => void save(), { root: boxRef, enabled: editing });
  // Esc cancels only an unchanged edit: a changed one asks to Save or Cancel.
  useShortcut(
    'text.leave',
    () => {
      if (text.trim() === note.body) finish();
      else setError('This note has unsaved changes: Save them, or Cancel to discard them.');
    },
    { root: boxRef, enabled: editing },
  );

  return (
    <li className="note" data-testid="c360-note">
      {editing ? (
        <form
          className="note-form"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <textarea
            ref={boxRef}
            value={text}
            autoFocus
            onChange={(e) => setText(e.target.value)}
            rows={3}
            aria-label="Edit note"
          />
          <span className="note-actions">
            <button type="submit" className="primary" disabled={saving}>
              {saving ? 'Saving…' : 'Save'}
            </button>
            <button type="button" onClick={finish} disabled={saving}>
              Cancel
            </button>
          </span>
          {error && (
            <p className="inline-error" role="alert">
              {error}
            </p>
          )}
        </form>
      ) : (
        <>
          <p className="note-body">{note.body}</p>
          <p className="note-meta muted">
            {note.author} · <When at={note.createdAt} unit="ms" />
            {note.pending && !note.notSaved && <span className="note-pending"> · pending: sent to the team when the desk is back online</span>}
            {note.notSaved && (
              <span className="inline-error" role="alert">
                {' '}
                · {note.notSaved}
              </span>
            )}
            {note.updatedAt > note.createdAt && (
              <>
                {' '}
                · edited <When at={note.updatedAt} unit="ms" />
              </>
            )}{' '}
            {!note.pending && (
              <button ref={editButton} type="button" className="link-button" onClick={start} aria-label={`Edit the note from ${note.author}`}>
                Edit
              </button>
            )}
          </p>
        </>
      )}
    </li>
  );
}
