import { describe, expect, it } from 'vitest';
import { lookingAtWords, presentOn } from '../../renderer/src/features/presence/presence-words';

// "Ana is looking at this": the words, and which presences a customer page or a case row shows.

const ana = { agentId: 'agt_ana', agentName: 'Ana', customerId: 'cus_1', caseId: 7 };
const ben = { agentId: 'agt_ben', agentName: 'Ben', customerId: 'cus_1', caseId: null };
const cy = { agentId: 'agt_cy', agentName: 'Cy', customerId: 'cus_2', caseId: 9 };

describe('presence words', () => {
  it.each([
    [[], null],
    [['Ana'], 'Ana is looking at this'],
    [['Ana', 'Ana'], 'Ana is looking at this'],
    [['Ana', 'Ben'], 'Ana and Ben are looking at this'],
    [['Ana', 'Ben', 'Cy'], 'Ana, Ben and 1 other are looking at this'],
    [['Ana', 'Ben', 'Cy', 'Di'], 'Ana, Ben and 2 others are looking at this'],
  ])('%j → %s', (names, words) => {
    expect(lookingAtWords(names)).toBe(words);
  });

  it('a customer page shows everyone on the customer or any of its cases', () => {
    expect(presentOn([ana, ben, cy], { customerId: 'cus_1' })).toEqual(['Ana', 'Ben']);
  });

  it('a case row shows who is on that case, or on its customer with no case open; not on another case', () => {
    expect(presentOn([ana, ben, cy], { customerId: 'cus_1', caseId: 7 })).toEqual(['Ana', 'Ben']);
    expect(presentOn([ana, ben, cy], { customerId: 'cus_1', caseId: 8 })).toEqual(['Ben']);
    expect(presentOn([ana, ben, cy], { customerId: 'cus_2', caseId: 9 })).toEqual(['Cy']);
  });
});
