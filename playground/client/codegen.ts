// Types and typed documents for every example operation (and every `graphql()` call in
// src/), from the committed schema: `npm run codegen`. graphql-codegen's client preset
// writes src/gql/ and the persisted documents manifest src/gql/persisted-documents.json.
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: '../../schema.graphql',
  documents: ['../operations/*.graphql', 'src/**/*.ts', '!src/gql/**/*'],
  ignoreNoDocuments: false,
  // `./graphql.js` in the generated imports, as Node's ES modules need.
  emitLegacyCommonJSImports: false,
  generates: {
    'src/gql/': {
      preset: 'client',
      presetConfig: {
        fragmentMasking: { unmaskFunctionName: 'getFragmentData' },
        // Each document carries its SHA-256 (`__meta__.hash`), and the manifest lists
        // them all: a server started with PERSISTED_DOCUMENTS=<manifest> knows them by
        // hash, and with PERSISTED_DOCUMENTS_ONLY=true runs nothing else.
        persistedDocuments: { hashAlgorithm: 'sha256' },
      },
      config: {
        // Every custom scalar must be mapped: a new one fails codegen until it is.
        strictScalars: true,
        scalars: {
          // Money is an exact decimal in a JSON string ("12.40"), never a number.
          Decimal: 'string',
          // YYYY-MM-DD and RFC 3339.
          Date: 'string',
          DateTime: 'string',
          // IDs are opaque: a branded string (src/ids.ts) that only the server makes.
          ID: '../ids.js#Id',
        },
        // Enums as unions of their SCREAMING_CASE strings, as they travel in JSON.
        enumsAsTypes: true,
        avoidOptionals: { field: true },
        useTypeImports: true,
      },
    },
  },
};

export default config;
