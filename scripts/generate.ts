// `npm run generate`: writes every generated artefact (CRDs, the chart's values schema, the references).
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatedFiles } from './generated.ts';

for (const { path, content } of generatedFiles()) {
  const target = fileURLToPath(new URL(`../${path}`, import.meta.url));
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, content);
  console.log(`wrote ${path}`);
}
