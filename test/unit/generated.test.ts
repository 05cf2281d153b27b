import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { generatedFiles } from '../../scripts/generated.ts';

describe('generated files are current (run `npm run generate` if this fails)', () => {
  for (const { path, content } of generatedFiles()) {
    it(path, async () => {
      expect(await readFile(new URL(`../../${path}`, import.meta.url), 'utf8')).toBe(content);
    });
  }
});
