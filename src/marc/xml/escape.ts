/** Escaping for XML output: text and attribute values that any conformant parser reads back unchanged. */

/** Characters that need work in text or attributes (markup, line ends, controls, surrogates, non-characters). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters XML 1.0 excludes
const NEEDS_ESCAPE = /[&<>"\t\n\r\x00-\x08\x0B\x0C\x0E-\x1F\uD800-\uDFFF\uFFFE\uFFFF]/;

/** Called once per replaced character, for writers that report instead of failing. */
export type InvalidCharacterHandler = (codePoint: number) => void;

/**
 * Escapes `&`, `<`, `>` (and in attributes `"`, tab and line feed); writes CR as `&#13;` so it survives
 * line-end normalisation; replaces characters XML 1.0 cannot carry (C0 controls, lone surrogates,
 * U+FFFE/U+FFFF) with U+FFFD.
 */
export function escapeXml(value: string, attribute: boolean, onInvalid?: InvalidCharacterHandler): string {
  if (!NEEDS_ESCAPE.test(value)) return value;
  let out = "";
  let from = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    let rep: string | undefined;
    if (c === 38) rep = "&amp;";
    else if (c === 60) rep = "&lt;";
    else if (c === 62) rep = "&gt;";
    else if (c === 13) rep = "&#13;";
    else if (attribute && c === 34) rep = "&quot;";
    else if (attribute && c === 9) rep = "&#9;";
    else if (attribute && c === 10) rep = "&#10;";
    else if ((c < 32 && c !== 9 && c !== 10) || c === 0xfffe || c === 0xffff) rep = "\uFFFD";
    else if (c >= 0xd800 && c <= 0xdfff) {
      const low = value.charCodeAt(i + 1);
      if (c <= 0xdbff && low >= 0xdc00 && low <= 0xdfff) {
        i++;
        continue;
      }
      rep = "\uFFFD";
    }
    if (rep === undefined) continue;
    if (rep === "\uFFFD") onInvalid?.(c);
    out += value.slice(from, i) + rep;
    from = i + 1;
  }
  return out + value.slice(from);
}
