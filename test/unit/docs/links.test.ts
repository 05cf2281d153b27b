// Every relative link in the user documentation (README.md, CHANGELOG.md, CONTRIBUTING.md,
// SECURITY.md and docs/*.md) points at a file or directory that exists. Web links (http, https,
// mailto) and in-page anchors are not checked.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const docsDir = join(root, 'docs');
const files = [
  ...['README.md', 'CHANGELOG.md', 'CONTRIBUTING.md', 'SECURITY.md'].map((f) => join(root, f)),
  ...readdirSync(docsDir)
    .filter((f) => f.endsWith('.md'))
    .map((f) => join(docsDir, f)),
];

/** Inline links and images `[text](target "title")` and reference definitions `[id]: target`, outside code. */
function linkTargets(markdown: string): string[] {
  const text = markdown.replace(/^(```|~~~)[\s\S]*?^\1/gm, '').replace(/`[^`\n]*`/g, '');
  const targets: string[] = [];
  for (const m of text.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+["'(][^)]*)?\)/g)) targets.push(m[1] ?? '');
  for (const m of text.matchAll(/^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)) targets.push(m[1] ?? '');
  return targets;
}

function isLocal(target: string): boolean {
  return target !== '' && !target.startsWith('#') && !/^[a-z][a-z0-9+.-]*:/i.test(target);
}

describe('relative links in the documentation point at existing files', () => {
  it('finds the documents', () => {
    expect(files.length).toBeGreaterThan(1);
  });

  it('parses inline, image and reference links but not code', () => {
    const md = '[a](x.md) ![b](img/y.png "t") [c](https://e.com) [d](#top)\n`[e](no.md)`\n```\n[f](no.md)\n```\n[g]: ref.md\n';
    expect(linkTargets(md).filter(isLocal)).toEqual(['x.md', 'img/y.png', 'ref.md']);
  });

  for (const file of files) {
    it(relative(root, file), () => {
      const broken = linkTargets(readFileSync(file, 'utf8'))
        .filter(isLocal)
        .map((target) => decodeURIComponent(target.replace(/[#?].*$/, '')))
        .filter((path) => path !== '' && !existsSync(path.startsWith('/') ? join(root, path) : join(dirname(file), path)));
      expect(broken).toEqual([]);
    });
  }
});
