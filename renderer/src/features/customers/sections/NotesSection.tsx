import { useRef, useState } from 'react';
import { useWorkspace } from '../../../app/workspace';
import type { NoteView } from '../../../../../shared/contract/customers';
import { errorMessage } from '../../../api/client';
import { useShortcut } from '../../../app/key-dispatch';
import { withKeys } from '../../../app/keymap';
import { noteTooLong } from '../../../ui/note-limit';
import { EmptyState } from '../../../ui/states';
import { useAddNote } from '../queries';
import { useCustomers } from '../store';
import { NoteItem } from './NoteItem';

/**
 * The agent's own notes about the customer: kept in the local cache only (never sent to Stripe),
 * every add and edit audited. N focuses the box; Ctrl/Cmd+Enter saves. A failed save keeps the text,
 * and so does leaving the customer before saving.
 */
export function NotesSection({ customerId, notes }: { customerId: string; notes: NoteView[] }) {
  const addNote = useAddNote(customerId);
  const team = useWorkspace()?.team ?? null;
  // The unsaved text lives in the store, by customer: Esc out of the customer and back keeps it.
  const draft = useCustomers((s) => s.noteDrafts[customerId] ?? '');
  const setNoteDraft = useCustomers((s) => s.setNoteDraft);
  const setDraft = (text: string) => setNoteDraft(customerId, text);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const boxRef = useRef<HTMLTextAreaElement>(null);

  useShortcut('customer.note', () => boxRef.current?.focus());
  useShortcut('text.submit', () => void save(), { root: boxRef });
  useShortcut('text.leave', () => boxRef.current?.blur(), { root: boxRef });

  const save = async () => {
    const body = draft.trim();
    if (!body) return setError('Write something first: an empty note is not saved.');
    const tooLong = noteTooLong(body);
    if (tooLong) return setError(tooLong);
    setSaving(true);
    setError(null);
    try {
      await addNote.mutateAsync({ customerId, body });
      setDraft('');
    } catch (err) {
      setError(`The note was not saved: ${errorMessage(err)} Your text is still here.`);
    } finally {
      setSaving(false);
    }
  };

  return (
    <section className="section" aria-labelledby="c360-notes-h" data-testid="c360-notes">
      <h2 id="c360-notes-h">
        Notes <span className="section-aside">{team ? 'shared with your team, not in Stripe' : 'kept on this computer, not in Stripe'}</span>
      </h2>
      <form
        className="note-form"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <textarea
          ref={boxRef}
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          rows={2}
          placeholder="Add a note (N) — Ctrl/Cmd+Enter saves"
          title={withKeys('Write a note', 'customer.note')}
          aria-label="New note"
          aria-describedby={error ? 'c360-note-error' : undefined}
        />
        <button type="submit" className="primary" disabled={saving || !draft.trim()}>
          {saving ? 'Saving…' : 'Add note'}
        </button>
      </form>
      {error && (
        <p className="inline-error" role="alert" id="c360-note-error">
          {error}
        </p>
      )}
      {notes.length === 0 ? (
        <EmptyState title="No notes yet." hint="Notes help the next agent: what was promised, what was tried." />
      ) : (
        <ul className="notes">
          {notes.map((n) => (
            <NoteItem key={n.id} note={n} customerId={customerId} />
          ))}
        </ul>
      )}
    </section>
  );
}
