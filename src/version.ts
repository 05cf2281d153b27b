// The operator's version, from package.json (the image ships it beside dist/), so the User-Agent
// never lags a release: `npm run release` checks the chart against the same file.
import { readFileSync } from 'node:fs';

export const VERSION: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string })
  .version;
