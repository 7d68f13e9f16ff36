import { useEffect, useRef, useState } from 'react';
import { useApp } from '../../../app/store';
import type { NoteView } from '../../../../../shared/contract/customers';
import { errorMessage } from '../../../api/client';
import { isTyping } from '../../../app/shortcuts';
import { EmptyState } from '../../../ui/states';
import { useCustomers } from '../store';
import { NoteItem } from './NoteItem';

const MAX = 10_000;

/**
 * The agent's own notes about the customer: kept in the local cache only (never sent to Stripe),
 * every add and edit audited. N focuses the box; Ctrl/Cmd+Enter saves. A failed save keeps the text,
 * and so does leaving the customer before saving.
 */
export function NotesSection({ customerId, notes }: { customerId: string; notes: NoteView[] }) {
  const addNote = useCustomers((s) => s.addNote);
  const team = useApp((s) => s.workspace?.team ?? null);
  // The unsaved text lives in the store, by customer: Esc out of the customer and back keeps it.
  const draft = useCustomers((s) => s.noteDrafts[customerId] ?? '');
  const setNoteDraft = useCustomers((s) => s.setNoteDraft);
  const setDraft = (text: string) => setNoteDraft(customerId, text);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const boxRef = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key.toLowerCase() !== 'n' || e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
      e.preventDefault();
      boxRef.current?.focus();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const save = async () => {
    const body = draft.trim();
    if (!body) return setError('Write something first: an empty note is not saved.');
    if (body.length > MAX) return setError(`A note holds up to ${MAX.toLocaleString()} characters; this one has ${body.length.toLocaleString()}.`);
    setSaving(true);
    setError(null);
    try {
      await addNote(body);
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
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              void save();
            }
            if (e.key === 'Escape') e.currentTarget.blur();
          }}
          rows={2}
          placeholder="Add a note (N) — Ctrl/Cmd+Enter saves"
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
            <NoteItem key={n.id} note={n} />
          ))}
        </ul>
      )}
    </section>
  );
}
