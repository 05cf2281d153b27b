// Every relative link in the user documentation (README.md, README.ko.md, CHANGELOG.md,
// CONTRIBUTING.md, SECURITY.md and every .md under docs/, docs/ko/ included) points at a file or
// directory that exists, and a link to a heading of a Markdown file (`page.md#some-heading`, or
// `#some-heading` in the same page) names a heading that page has, slugged the way GitHub does.
// Every page under docs/ is linked from docs/README.md. Web links (http, https, mailto) are not checked.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { anchorsOf, withoutFences } from '../../support/markdown.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const docsDir = join(root, 'docs');
const docPages = readdirSync(docsDir, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.md'))
  .map((f) => join(docsDir, f))
  .sort();
const files = [
  ...['README.md', 'README.ko.md', 'CHANGELOG.md', 'CONTRIBUTING.md', 'SECURITY.md'].map((f) => join(root, f)),
  ...docPages,
].filter((f) => existsSync(f));

/** Inline links and images `[text](target "title")` and reference definitions `[id]: target`, outside code. */
function linkTargets(markdown: string): string[] {
  const text = withoutFences(markdown).replace(/`[^`\n]*`/g, '');
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

  it('slugs headings the way GitHub does', () => {
    const md =
      '# Watching one namespace\n## With `kustomize`\n## Beyond one process: sharding (design, not built)\n## 설치 순서\n## FAQ\n## FAQ\n```\n# not a heading\n```\n';
    expect([...anchorsOf(md)]).toEqual([
      'watching-one-namespace',
      'with-kustomize',
      'beyond-one-process-sharding-design-not-built',
      '설치-순서',
      'faq',
      'faq-1',
    ]);
  });

  for (const file of files) {
    it(relative(root, file), () => {
      const broken: string[] = [];
      for (const target of linkTargets(readFileSync(file, 'utf8'))) {
        if (target === '' || /^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
        const [pathPart = '', anchor] = target.replace(/\?[^#]*/, '').split('#') as [string, string | undefined];
        const path = decodeURIComponent(pathPart);
        const resolved = path === '' ? file : path.startsWith('/') ? join(root, path) : join(dirname(file), path);
        if (!existsSync(resolved)) {
          broken.push(target);
          continue;
        }
        const isPage = resolved.endsWith('.md') && statSync(resolved).isFile();
        if (anchor && isPage && !anchorsOf(readFileSync(resolved, 'utf8')).has(decodeURIComponent(anchor))) broken.push(target);
      }
      expect(broken).toEqual([]);
    });
  }

  it('docs/README.md links every page under docs/', () => {
    const index = join(docsDir, 'README.md');
    const linked = new Set(
      linkTargets(readFileSync(index, 'utf8'))
        .filter(isLocal)
        .map((t) => join(docsDir, decodeURIComponent(t.replace(/[#?].*$/, '')))),
    );
    expect(docPages.filter((p) => p !== index && !linked.has(p)).map((p) => relative(root, p))).toEqual([]);
  });
});
