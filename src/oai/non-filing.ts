/**
 * 245's second indicator: how many characters a leading article (and any quote or bracket before it) takes,
 * so catalogues file "The effects of..." under "effects". Elided articles (`l'`) take no space.
 *
 * ```ts
 * nonFiling("The effects of heat", ["the", "a", "an"]) // 4
 * nonFiling("L'école", ["l'"])                          // 2
 * ```
 */
export function nonFiling(title: string, articles: readonly string[]): number {
  const lead = /^["'“‘«([]*/.exec(title)?.[0].length ?? 0;
  const rest = title.slice(lead).toLowerCase().replace(/’/g, "'");
  for (const article of articles) {
    if (article.endsWith("'")) {
      if (rest.startsWith(article) && rest.length > article.length) return Math.min(9, lead + article.length);
    } else if (rest.startsWith(`${article} `)) {
      return Math.min(9, lead + article.length + 1);
    }
  }
  return 0;
}
