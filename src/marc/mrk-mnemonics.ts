/**
 * MarcEdit's `{name}` character mnemonics: the MARC-8 byte each stands for and its Unicode character
 * (LoC MARC-8 to Unicode mapping; combining marks as their Unicode combining characters).
 * Covers every mnemonic in the brkrtest.mrk test file, the ANSEL set, and the ASCII escapes.
 *
 * ```ts
 * MNEMONICS.get("acute") // { marc8: 0xe2, unicode: "\u0301" }
 * ```
 */

export interface Mnemonic {
  /** The MARC-8 byte (G0 ASCII or G1 ANSEL). */
  readonly marc8: number;
  readonly unicode: string;
}

// [name, MARC-8 byte, Unicode code point]
const TABLE: readonly (readonly [string, number, number])[] = [
  // ASCII characters that the .mrk syntax itself uses
  ["dollar", 0x24, 0x24],
  ["lcub", 0x7b, 0x7b],
  ["rcub", 0x7d, 0x7d],
  ["bsol", 0x5c, 0x5c],
  ["esc", 0x1b, 0x1b],
  ["joiner", 0x8d, 0x200d],
  ["nonjoin", 0x8e, 0x200c],
  // ANSEL spacing characters
  ["Lstrok", 0xa1, 0x141],
  ["Ostrok", 0xa2, 0xd8],
  ["Dstrok", 0xa3, 0x110],
  ["THORN", 0xa4, 0xde],
  ["AElig", 0xa5, 0xc6],
  ["OElig", 0xa6, 0x152],
  ["softsign", 0xa7, 0x2b9],
  ["middot", 0xa8, 0xb7],
  ["flat", 0xa9, 0x266d],
  ["reg", 0xaa, 0xae],
  ["plusmn", 0xab, 0xb1],
  ["Ohorn", 0xac, 0x1a0],
  ["Uhorn", 0xad, 0x1af],
  ["mlrhring", 0xae, 0x2bc],
  ["mllhring", 0xb0, 0x2bb],
  ["lstrok", 0xb1, 0x142],
  ["ostrok", 0xb2, 0xf8],
  ["dstrok", 0xb3, 0x111],
  ["thorn", 0xb4, 0xfe],
  ["aelig", 0xb5, 0xe6],
  ["oelig", 0xb6, 0x153],
  ["hardsign", 0xb7, 0x2ba],
  ["inodot", 0xb8, 0x131],
  ["pound", 0xb9, 0xa3],
  ["eth", 0xba, 0xf0],
  ["ohorn", 0xbc, 0x1a1],
  ["uhorn", 0xbd, 0x1b0],
  ["deg", 0xc0, 0xb0],
  ["scriptl", 0xc1, 0x2113],
  ["phono", 0xc2, 0x2117],
  ["copy", 0xc3, 0xa9],
  ["sharp", 0xc4, 0x266f],
  ["iquest", 0xc5, 0xbf],
  ["iexcl", 0xc6, 0xa1],
  ["eszett", 0xc7, 0xdf],
  ["szlig", 0xc7, 0xdf],
  ["euro", 0xc8, 0x20ac],
  // ANSEL combining marks (precede their base character in MARC-8)
  ["hooka", 0xe0, 0x309],
  ["grave", 0xe1, 0x300],
  ["acute", 0xe2, 0x301],
  ["circ", 0xe3, 0x302],
  ["tilde", 0xe4, 0x303],
  ["macr", 0xe5, 0x304],
  ["breve", 0xe6, 0x306],
  ["dot", 0xe7, 0x307],
  ["uml", 0xe8, 0x308],
  ["caron", 0xe9, 0x30c],
  ["ring", 0xea, 0x30a],
  ["llig", 0xeb, 0xfe20],
  ["rlig", 0xec, 0xfe21],
  ["rcommaa", 0xed, 0x315],
  ["dblac", 0xee, 0x30b],
  ["candra", 0xef, 0x310],
  ["cedil", 0xf0, 0x327],
  ["ogon", 0xf1, 0x328],
  ["dotb", 0xf2, 0x323],
  ["dbldotb", 0xf3, 0x324],
  ["ringb", 0xf4, 0x325],
  ["dblunder", 0xf5, 0x333],
  ["under", 0xf6, 0x332],
  ["commab", 0xf7, 0x326],
  ["rcedil", 0xf8, 0x31c],
  ["breveb", 0xf9, 0x32e],
  ["ldbltil", 0xfa, 0xfe22],
  ["rdbltil", 0xfb, 0xfe23],
  ["commaa", 0xfe, 0x313],
];

export const MNEMONICS: ReadonlyMap<string, Mnemonic> = new Map(
  TABLE.map(([name, marc8, cp]) => [name, Object.freeze({ marc8, unicode: String.fromCodePoint(cp) })]),
);

/** `{name}` or `{U+XXXX}` (a code point, for characters .mrk lines cannot hold, such as line breaks). */
export const MNEMONIC_PATTERN = /\{(U\+[0-9A-Fa-f]{4,6}|[A-Za-z]{2,10})\}/g;

/** Replaces mnemonics by their Unicode characters; unknown `{...}` stay as written. */
export function decodeMnemonics(text: string): string {
  if (text.indexOf("{") < 0) return text;
  return text.replace(MNEMONIC_PATTERN, (all, name: string) => {
    if (name.startsWith("U+")) return codePoint(name) ?? all;
    return MNEMONICS.get(name)?.unicode ?? all;
  });
}

/** The code point of `U+XXXX`, when it is a Unicode scalar value. */
export function codePoint(name: string): string | undefined {
  const cp = Number.parseInt(name.slice(2), 16);
  return cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff) ? String.fromCodePoint(cp) : undefined;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what must be escaped
const MRK_SPECIAL = /[$\\{}\x00-\x1f\x7f]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what must be escaped
const MRK_SPECIALS = /[$\\{}\x00-\x1f\x7f]/g;

/** Escapes what a .mrk value cannot hold literally: `$`, `{`, `}`, `\` and control characters. */
export function encodeMnemonics(text: string): string {
  if (!MRK_SPECIAL.test(text)) return text;
  return text.replace(MRK_SPECIALS, (c) => {
    if (c === "$") return "{dollar}";
    if (c === "{") return "{lcub}";
    if (c === "}") return "{rcub}";
    if (c === "\\") return "{bsol}";
    return `{U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}}`;
  });
}
