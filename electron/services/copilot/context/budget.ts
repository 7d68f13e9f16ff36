// A token budget per request. Tokens are estimated (≈ 4 characters each, rounded up) rather than
// counted with a model-specific tokenizer: the budget protects cost and the context window, and a
// deterministic estimate makes truncation reproducible — the same data always yields the same prompt.

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

export interface BudgetSection {
  name: string;
  /** Lines in priority order; whole lines are kept or dropped, never cut in half. */
  lines: string[];
}

export interface FittedContext {
  text: string;
  tokens: number;
  /** Lines left out, per section. */
  dropped: Record<string, number>;
  truncated: boolean;
}

/**
 * Keeps sections in order and, inside each, lines in order, while they fit the budget. A section
 * that does not fit entirely says how many lines were left out, so the model knows the list is partial.
 */
export function fitToBudget(sections: BudgetSection[], maxTokens: number): FittedContext {
  const out: string[] = [];
  const dropped: Record<string, number> = {};
  let used = 0;
  for (const section of sections) {
    const header = `## ${section.name}`;
    const headerCost = estimateTokens(header) + 1;
    if (section.lines.length === 0) continue;
    if (used + headerCost > maxTokens) {
      dropped[section.name] = section.lines.length;
      continue;
    }
    const kept: string[] = [];
    let sectionUsed = headerCost;
    for (let i = 0; i < section.lines.length; i++) {
      const cost = estimateTokens(section.lines[i]!) + 1;
      if (used + sectionUsed + cost > maxTokens) {
        dropped[section.name] = section.lines.length - i;
        break;
      }
      kept.push(section.lines[i]!);
      sectionUsed += cost;
    }
    if (kept.length === 0) continue;
    if (dropped[section.name]) kept.push(`(${dropped[section.name]} older entries not shown)`);
    out.push(header, ...kept, '');
    used += sectionUsed;
  }
  const text = out.join('\n').trim();
  return { text, tokens: estimateTokens(text), dropped, truncated: Object.keys(dropped).length > 0 };
}
