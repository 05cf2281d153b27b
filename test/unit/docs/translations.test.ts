// The Korean pages (README.ko.md, docs/ko/install.md) keep the commands of their English
// counterparts exactly: every code block of a Korean page is a code block of the English page,
// character for character (indentation aside, since a block may sit in a list item). Each page of
// a pair links to the other.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const read = (path: string) => readFileSync(join(root, path), 'utf8');

/** Fenced code blocks, each without the indentation of its fence. */
export function codeBlocks(markdown: string): string[] {
  const blocks: string[] = [];
  for (const m of markdown.matchAll(/^([ \t]*)(```|~~~)[^\n]*\n([\s\S]*?)^\1\2[ \t]*$/gm)) {
    const indent = m[1] ?? '';
    blocks.push(
      (m[3] ?? '')
        .split('\n')
        .map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line))
        .join('\n'),
    );
  }
  return blocks;
}

const pairs = [
  { korean: 'README.ko.md', english: 'README.md', koreanLinksTo: 'README.md', englishLinksTo: 'README.ko.md' },
  { korean: 'docs/ko/install.md', english: 'docs/install.md', koreanLinksTo: '../install.md', englishLinksTo: 'ko/install.md' },
];

describe('Korean documentation', () => {
  it('reads code blocks, indented ones too', () => {
    expect(codeBlocks('a\n```sh\nls -l\n```\n1. x\n\n   ```sh\n   kubectl get pods\n     --watch\n   ```\n')).toEqual([
      'ls -l\n',
      'kubectl get pods\n  --watch\n',
    ]);
  });

  for (const { korean, english, koreanLinksTo, englishLinksTo } of pairs) {
    it(`${korean} has only code blocks that ${english} has`, () => {
      const englishBlocks = new Set(codeBlocks(read(english)));
      const koreanBlocks = codeBlocks(read(korean));
      expect(koreanBlocks.length).toBeGreaterThan(0);
      expect(koreanBlocks.filter((b) => !englishBlocks.has(b))).toEqual([]);
    });

    it(`${korean} and ${english} link to each other`, () => {
      expect(read(korean)).toContain(`](${koreanLinksTo})`);
      expect(read(english)).toContain(`](${englishLinksTo})`);
    });
  }
});
