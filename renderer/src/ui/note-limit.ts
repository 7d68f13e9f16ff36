import { NOTE_MAX_LENGTH } from '../../../shared/contract/ids';

/**
 * Why a note cannot be saved, in words, before it is sent (the service would answer with the
 * schema's sentence): null when it fits. The same words for customer notes and case notes.
 */
export function noteTooLong(body: string): string | null {
  const length = body.trim().length;
  return length > NOTE_MAX_LENGTH ? `A note holds up to ${NOTE_MAX_LENGTH.toLocaleString()} characters; this one has ${length.toLocaleString()}.` : null;
}
