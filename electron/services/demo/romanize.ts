// ASCII forms of names for e-mail addresses: "Jürgen Müller" -> jurgen.muller, "Иван" -> ivan,
// "Γιώργος" -> giorgos. Deliberately simple (one common scheme per script): it only has to look
// like the addresses people really type.

const SPECIAL_LATIN: Record<string, string> = { ß: 'ss', æ: 'ae', ø: 'o', œ: 'oe', ł: 'l', đ: 'd', ı: 'i', þ: 'th', ð: 'd' };

const CYRILLIC: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'e', ж: 'zh', з: 'z', и: 'i', й: 'y', к: 'k', л: 'l', м: 'm', н: 'n', о: 'o', п: 'p',
  р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch', ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu', я: 'ya',
  і: 'i', ї: 'yi', є: 'ye', ґ: 'g',
};

const GREEK: Record<string, string> = {
  α: 'a', β: 'v', γ: 'g', δ: 'd', ε: 'e', ζ: 'z', η: 'i', θ: 'th', ι: 'i', κ: 'k', λ: 'l', μ: 'm', ν: 'n', ξ: 'x', ο: 'o', π: 'p',
  ρ: 'r', σ: 's', ς: 's', τ: 't', υ: 'y', φ: 'f', χ: 'ch', ψ: 'ps', ω: 'o',
};

/** Lower-case ASCII letters and digits only; other characters are dropped. */
export function romanize(text: string, script: 'latin' | 'cyrillic' | 'greek'): string {
  // NFD splits accents off their letters (é -> e + U+0301) so both Latin and Greek tonos drop out.
  let lower = text.toLowerCase();
  // Greek writes "ou" as a digraph (Παπαδόπουλος -> papadopoulos, not papadopoylos).
  if (script === 'greek') lower = lower.replace(/ο[υύ]/g, 'ou');
  const decomposed = lower.normalize('NFD');
  let out = '';
  for (const ch of decomposed) {
    if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) out += ch;
    else if (script === 'cyrillic' && ch in CYRILLIC) out += CYRILLIC[ch];
    else if (script === 'greek' && ch in GREEK) out += GREEK[ch];
    else if (ch in SPECIAL_LATIN) out += SPECIAL_LATIN[ch];
  }
  return out;
}
