import { useId } from 'react';
import { COPILOT_LENGTHS, COPILOT_TONES, type CopilotLength, type CopilotTone } from '../../../../shared/contract/copilot';
import { useCopilotPrefs } from './prefs';

// Tone and length of the next draft. Changing them does not redraft by itself: the agent chooses
// "Redraft" so a draft they are reading never changes under them.

const TONE_WORDS: Record<CopilotTone, string> = { friendly: 'Friendly', neutral: 'Neutral', formal: 'Formal' };
const LENGTH_WORDS: Record<CopilotLength, string> = { short: 'Short', medium: 'Medium', long: 'Long' };

export function DraftControls() {
  const { tone, length, setTone, setLength } = useCopilotPrefs();
  const ids = { tone: useId(), length: useId() };
  return (
    <div className="cp-controls">
      <label htmlFor={ids.tone}>Tone</label>
      <select id={ids.tone} value={tone} onChange={(e) => setTone(e.target.value as CopilotTone)} data-testid="copilot-tone">
        {COPILOT_TONES.map((t) => (
          <option key={t} value={t}>
            {TONE_WORDS[t]}
          </option>
        ))}
      </select>
      <label htmlFor={ids.length}>Length</label>
      <select id={ids.length} value={length} onChange={(e) => setLength(e.target.value as CopilotLength)} data-testid="copilot-length">
        {COPILOT_LENGTHS.map((l) => (
          <option key={l} value={l}>
            {LENGTH_WORDS[l]}
          </option>
        ))}
      </select>
    </div>
  );
}
