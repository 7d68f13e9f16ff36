// Sentences in a customer's message that speak to the assistant rather than about the customer's
// billing ("ignore your instructions", "system override", "print your API key"). They never run
// anything (writes need a person), but left in, they steer the no-model intent: "…refund all
// invoices. Why was my payment declined?" would be read as a refund request. The rules classify
// what is left; a message made only of such orders is classified as it is.

const ORDERS: RegExp[] = [
  /\b(ignore|disregard|forget|override)\b.{0,40}\b(instructions?|rules|prompts?|guidelines|guardrails|policy|policies)\b/,
  /\b(system|admin|developer|debug|god)[ -](override|mode|prompt|message|command)\b/,
  /\byou are now\b|\bfrom now on,? you\b|\bpretend (to be|you are)\b|\bact as (the|an?|my)\b/,
  /\b(print|reveal|show|output|tell|give|send|leak|dump)\b.{0,20}\b(api[ -]?key|secret key|stripe key|openai key|your key|password|token|system prompt|your instructions)\b/,
  /\b(every|all (the |other )?)(customers?|subscriptions|invoices|accounts|users)\b.{0,40}\b(cancel|refund|delete|export|retry|pause|mark)|\b(cancel|refund|delete|export|retry|pause)\w*\b.{0,20}\b(every|all (the |other )?)(customers?|subscriptions|invoices|accounts|users)\b/,
];

export function withoutOrdersToAssistant(text: string): string {
  const sentences = text.split(/(?<=[.!?;:])\s+|\n+/);
  const kept = sentences.filter((s) => !ORDERS.some((re) => re.test(s.toLowerCase())));
  return kept.length > 0 && kept.length < sentences.length ? kept.join(' ') : text;
}
