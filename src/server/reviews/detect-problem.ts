// Does a review's text read like a problem a person should look at? Deliberately simple and
// generous: a false alarm costs a member of staff a minute; a missed one leaves a shopper waiting.
// Negations close before the word ("not damaged", "no problems", "nothing missing") are ignored.

const PROBLEMS: [RegExp, string][] = [
  [/\b(damaged?|dented|smashed|crushed|torn|ripped|cracked|scratched|leak(?:ed|ing|s)?)\b/, 'damaged'],
  [/\b(broken|broke|stopped working|doesn'?t work|does not work|not working|defective|faulty|fell apart)\b/, 'broken'],
  [/\b(missing|incomplete|wasn'?t in the box|was not in the box)\b/, 'missing'],
  [
    /\b(never (?:arrived|came|received|got it)|didn'?t (?:arrive|receive|get)|did not (?:arrive|receive|get)|not (?:arrived|received)|still waiting)\b/,
    'never arrived',
  ],
  [
    /\b(wrong (?:size|colou?r|item|product|one|model)|too (?:small|big|large|tight|loose)|doesn'?t fit|does not fit)\b/,
    'wrong item or size',
  ],
  [/\b(refund|return (?:it|this)|money back|scam|fake|counterfeit)\b/, 'wants a refund'],
];
const NEGATION = /\b(?:not|no|nothing|never|none|without|wasn'?t|isn'?t|nor)\s+(?:\w+\s+){0,1}$/;

/** The problems the text mentions (e.g. ["damaged"]), empty when none. */
export function detectProblems(text: string): string[] {
  const t = text.toLowerCase().replace(/[’‘]/g, "'");
  const found: string[] = [];
  for (const [pattern, label] of PROBLEMS) {
    const g = new RegExp(pattern.source, 'g');
    for (const m of t.matchAll(g)) {
      const before = t.slice(Math.max(0, m.index - 30), m.index);
      // "never arrived" carries its own negation; others are cancelled by one just before them.
      if (label !== 'never arrived' && NEGATION.test(before)) continue;
      if (!found.includes(label)) found.push(label);
      break;
    }
  }
  return found;
}

/** A rating or text that needs a person: 1–2 stars, or text that reads like a problem. */
export function needsFollowUp(rating: number, text: string): { yes: boolean; reasons: string[] } {
  const reasons = detectProblems(text);
  if (rating <= 2) reasons.unshift(`${rating} star${rating === 1 ? '' : 's'}`);
  return { yes: reasons.length > 0, reasons };
}
