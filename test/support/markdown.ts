// Reading Markdown the way GitHub renders it, for the tests that check the docs' links and the
// alerts' runbook anchors: one slug rule, so both agree with what a reader clicks.
/** Removes fenced code blocks, where nothing is a link or a heading. */
export const withoutFences = (markdown: string): string => markdown.replace(/^(```|~~~)[\s\S]*?^\1/gm, '');

/**
 * The anchors GitHub gives a page's headings: the heading's text without Markdown (code ticks,
 * emphasis, link targets), lower-cased, every character that is not a letter, digit, space,
 * hyphen or underscore dropped, spaces turned into hyphens; a repeated slug gets -1, -2, …
 * Also explicit `<a id="…">` / `<a name="…">` anchors.
 */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const text = withoutFences(markdown);
  for (const m of text.matchAll(/^#{1,6}[ \t]+(.+?)[ \t]*#*[ \t]*$/gm)) {
    const plain = (m[1] ?? '')
      .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/<[^>]+>/g, '')
      .replace(/[`*]/g, '');
    const slug = plain
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
      .replace(/ /g, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    anchors.add(n === 0 ? slug : `${slug}-${n}`);
  }
  for (const m of text.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(m[1] ?? '');
  return anchors;
}
