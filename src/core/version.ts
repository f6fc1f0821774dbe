import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

/** The vidlens version recorded in every index manifest. */
export const VERSION: string = pkg.version;
