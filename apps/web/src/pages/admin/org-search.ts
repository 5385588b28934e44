/**
 * Whether a search matches an entry of the organisation pages: blank matches all; otherwise the query, trimmed,
 * is sought case-blind inside any of the texts (name, code, English name …; a missing one matches nothing).
 */
export function matchesText(query: string, ...texts: Array<string | null | undefined>): boolean {
  const q = query.trim().toLowerCase();
  return !q || texts.some((text) => text?.toLowerCase().includes(q) ?? false);
}
