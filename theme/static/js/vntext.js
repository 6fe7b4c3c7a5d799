// Vietnamese text handling in the browser: the mirror of plugins/vntext (normalize, fold) and of the
// search tokenizer in plugins/search/analysis.py (tokenize, normalizeTerm, foldTerm).
// tests/test_search_pipeline.py runs both sides on the same generated strings and requires equal output.

// Tone marks (thanh điệu); circumflex, breve and horn belong to the vowel and never move.
const TONE_MARKS = /[\u0300\u0301\u0303\u0309\u0323]/g;
// Python's [^\W\d_] is letters plus non-decimal numerals; NFD text adds combining marks.
const WORD_RE = /(?:[\p{L}\p{Nl}\p{No}]|[\u0300-\u036f])+/gu;
// Only an open syllable whose vowel is oa, oe or uy has two spellings (hoá/hóa, thuỷ/thủy); after
// "q" the u belongs to the consonant (quý).
const OPEN_GLIDE_RE = /^([^aeiouy]*)(o[ae]|uy)$/i;
// Marks with a non-zero combining class, which vntext.fold drops (U+034F has class 0 and stays).
const COMBINING_RE = /[\u0300-\u034e\u0350-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]/g;

function placeTone(word) {
  const tones = word.match(TONE_MARKS);
  if (!tones || tones.length !== 1) return word;
  const match = OPEN_GLIDE_RE.exec(word.replace(TONE_MARKS, ""));
  if (!match || match[1].toLowerCase().endsWith("q")) return word;
  return match[1] + match[2][0] + tones[0] + match[2][1];
}

/** NFC with one tone placement: "Uỷ ban, hoá đơn" -> "Ủy ban, hóa đơn" (vntext.normalize). */
export function normalize(text) {
  return text.normalize("NFC").normalize("NFD").replace(WORD_RE, placeTone).normalize("NFC");
}

const ISO_DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** "2024-03-20" -> "20/03/2024", as vntext.format_date writes it; "" for anything else. */
export function formatDate(iso) {
  const day = ISO_DATE_RE.exec(iso || "");
  return day ? `${day[3]}/${day[2]}/${day[1]}` : "";
}

/** Every diacritic removed and đ/Đ mapped to d/D; case kept (vntext.fold). */
export function fold(text) {
  return text.normalize("NFD").replace(COMBINING_RE, "").replace(/đ/g, "d").replace(/Đ/g, "D").normalize("NFC");
}

// --- Search terms (plugins/search/analysis.py) -------------------------------------------------

export const BOUNDARY = ".";
const LETTERS = "a-z\\u00c0-\\u00d6\\u00d8-\\u00f6\\u00f8-\\u024f\\u1e00-\\u1eff\\u0300-\\u036f";
const TERM = `0-9${LETTERS}`;
const KIND = "[a-zđ][a-zđ0-9]*";
const COMPOUND =
  `(?<![${TERM}/.-])` +
  `(?:[0-9]{1,5}[a-z]?(?:/(?:19|20)[0-9]{2})?/${KIND}(?:-${KIND})*|[0-9]{1,5}[a-z]?-[a-zđ]{1,6}/${KIND})` +
  `(?![${TERM}/])`;
const STOPS = ".,;:!?()\\[\\]{}\"|\\u201c\\u201d\\u00ab\\u00bb\\u2026\\u2013\\u2014\\n";
const TOKEN_RE = new RegExp(
  `(?<compound>${COMPOUND})|(?<number>[0-9]+(?:[.,][0-9]+)+)|(?<word>[${TERM}]+)|(?<stop>[${STOPS}]+)`,
  "g",
);
const THOUSANDS_RE = /^[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]+)?$/;
const LEADING_ZEROS_RE = /^0+(?=[0-9])/;
const TRIM_RE = new RegExp(`^[^${TERM}]+|[^${TERM}]+$`, "g");

/** Words, numbers, document numbers (after their parts) and "." where a phrase ends. */
export function tokenize(text) {
  const tokens = [];
  for (const match of text.normalize("NFC").toLowerCase().matchAll(TOKEN_RE)) {
    const { compound, stop } = match.groups;
    if (stop !== undefined) {
      if (tokens.length && tokens[tokens.length - 1] !== BOUNDARY) tokens.push(BOUNDARY);
    } else if (compound !== undefined) {
      for (const part of compound.split(/[/-]/)) if (part) tokens.push(part);
      tokens.push(compound);
    } else {
      tokens.push(match[0]);
    }
  }
  return tokens;
}

function numberForm(term) {
  if (THOUSANDS_RE.test(term)) term = term.replace(/\./g, "");
  term = term.replace(/\./g, ",");
  return /^[0-9]+$/.test(term) ? term.replace(LEADING_ZEROS_RE, "") : term;
}

const normalized = new Map();
const folded = new Map();

/** The form a term is indexed and searched in (analysis.normalize_term). */
export function normalizeTerm(token) {
  let found = normalized.get(token);
  if (found === undefined) {
    found = normalize(token.toLowerCase()).toLowerCase();
    if (found.includes("/")) found = fold(found).toLowerCase().replace(LEADING_ZEROS_RE, "");
    else if (/^[0-9]/.test(found)) found = numberForm(found);
    normalized.set(token, found);
  }
  return found;
}

/** The folded, lower-case form of a normalized term (analysis.fold_term). */
export function foldTerm(term) {
  let found = folded.get(term);
  if (found === undefined) {
    found = fold(term).toLowerCase();
    folded.set(term, found);
  }
  return found;
}

/** What is not a letter or digit, stripped from both ends (the vn-trimmer). */
export function trimTerm(term) {
  return term.replace(TRIM_RE, "");
}

/** A word, as opposed to a phrase boundary or a document number. */
export function isWord(token) {
  return token !== BOUNDARY && !token.includes("/");
}
