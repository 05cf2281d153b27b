// The kinds `kubectl cdo import` knows, apart from import.ts so that checking the arguments does
// not load the cloud clients.
export const importKinds = ['hadoop-eco', 'kafka'] as const;
export type ImportKind = (typeof importKinds)[number];

export const isImportKind = (word: string | undefined): word is ImportKind => (importKinds as readonly string[]).includes(word ?? '');
