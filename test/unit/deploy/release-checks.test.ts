// What `npm run release` refuses on (scripts/release-checks.ts), over file contents: versions
// that disagree, a CHANGELOG without the version, stale generated files, the wrong image tag;
// and the SHA256SUMS format. The release itself, end to end, is test/integration/deploy/release.test.ts.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkVersions, sha256sums, staleGenerated, wrongImages, type VersionSources } from '../../../scripts/release-checks.ts';

const read = (p: string) => readFileSync(new URL(`../../../${p}`, import.meta.url), 'utf8');
const tree = (): VersionSources => ({
  'package.json': read('package.json'),
  'package-lock.json': read('package-lock.json'),
  'deploy/helm/cloud-data-operator/Chart.yaml': read('deploy/helm/cloud-data-operator/Chart.yaml'),
  'deploy/base/kustomization.yaml': read('deploy/base/kustomization.yaml'),
  'CHANGELOG.md': read('CHANGELOG.md'),
});

describe('checkVersions', () => {
  it('the tree agrees on one version, the one in package.json, with a CHANGELOG section', () => {
    const { version, problems } = checkVersions(tree());
    expect(problems).toEqual([]);
    expect(version).toBe((JSON.parse(read('package.json')) as { version: string }).version);
  });

  it('names each file that disagrees', () => {
    const src = tree();
    src['deploy/helm/cloud-data-operator/Chart.yaml'] = src['deploy/helm/cloud-data-operator/Chart.yaml']
      .replace(/^version: .*$/m, 'version: 9.9.9')
      .replace(/image: cloud-data-operator:.*$/m, 'image: cloud-data-operator:0.0.9');
    src['deploy/base/kustomization.yaml'] = src['deploy/base/kustomization.yaml'].replace(/newTag: .*/, 'newTag: latest');
    src['package-lock.json'] = src['package-lock.json'].replace(/"version": "[^"]*"/, '"version": "0.0.1"');
    const { version, problems } = checkVersions(src);
    expect(problems).toEqual([
      `package-lock.json version is "0.0.1", package.json says ${version}`,
      `Chart.yaml version is "9.9.9", package.json says ${version}`,
      `Chart.yaml artifacthub.io/images tag is "0.0.9", package.json says ${version}`,
      `deploy/base/kustomization.yaml images[cloud-data-operator].newTag is "latest", package.json says ${version}`,
    ]);
  });

  it('needs a dated CHANGELOG section for the version and a semantic version', () => {
    const src = tree();
    src['package.json'] = JSON.stringify({ version: '1.0' });
    src['CHANGELOG.md'] = '# Changelog\n\n## [Unreleased]\n';
    const { problems } = checkVersions(src);
    expect(problems[0]).toBe('package.json version "1.0" is not a semantic version');
    expect(problems.at(-1)).toBe('CHANGELOG.md has no "## [1.0] - YYYY-MM-DD" section');
  });
});

describe('staleGenerated', () => {
  it('lists the files whose copy on disk differs or is missing', () => {
    const files = [
      { path: 'a', content: 'x' },
      { path: 'b', content: 'y' },
      { path: 'c', content: 'z' },
    ];
    const disk: Record<string, string> = { a: 'x', b: 'old' };
    expect(staleGenerated(files, (p) => disk[p])).toEqual(['b', 'c']);
  });
});

describe('wrongImages', () => {
  const dep = (image: string) => ({ kind: 'Deployment', spec: { template: { spec: { containers: [{ image }] } } } });
  it('accepts the release tag only', () => {
    expect(wrongImages([{ kind: 'Namespace' }, dep('cloud-data-operator:0.2.0')], '0.2.0')).toEqual([]);
    expect(wrongImages([dep('cloud-data-operator:0.1.0')], '0.2.0')).toEqual(['cloud-data-operator:0.1.0']);
    expect(wrongImages([dep('cloud-data-operator')], '0.2.0')).toEqual(['cloud-data-operator']);
    expect(wrongImages([{ kind: 'Namespace' }], '0.2.0')).toEqual(['no Deployment with a container']);
  });
});

describe('sha256sums', () => {
  it('writes "<hex>  <name>" lines sorted by name, as sha256sum does', () => {
    expect(
      sha256sums([
        { name: 'b.txt', data: 'abc' },
        { name: 'a.txt', data: Buffer.from('') },
      ]),
    ).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  a.txt\n' +
        'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  b.txt\n',
    );
  });
});

describe('scripts/release.ts as a command', () => {
  it('runs when reached through a path with a space and a symlink (a URL comparison made it exit 0 doing nothing)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cdo release '));
    const link = join(dir, 'my checkout');
    symlinkSync(fileURLToPath(new URL('../../../', import.meta.url)), link);
    const out = execFileSync(process.execPath, [join(link, 'scripts/release.ts'), '--help'], { encoding: 'utf8' });
    expect(out).toContain('usage: npm run release');
  });
});
