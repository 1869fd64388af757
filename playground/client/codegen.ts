// Types for every example operation, from the committed schema: `npm run codegen`.
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: '../../schema.graphql',
  documents: '../operations/*.graphql',
  generates: {
    'src/generated/graphql.ts': {
      plugins: ['typescript', 'typescript-operations', 'typed-document-node'],
      config: {
        // Every custom scalar must be mapped: a new one fails codegen until it is.
        strictScalars: true,
        scalars: {
          // Money is an exact decimal in a JSON string ("12.40"), never a number.
          Decimal: 'string',
          // YYYY-MM-DD and RFC 3339.
          Date: 'string',
          DateTime: 'string',
          UUID: 'string',
          // IDs are opaque: a branded string (src/id.ts) that only the server makes.
          ID: '../id.js#Id',
        },
        // Enums as unions of their SCREAMING_CASE strings, as they travel in JSON.
        enumsAsTypes: true,
        avoidOptionals: { field: true },
        useTypeImports: true,
      },
    },
  },
  hooks: {},
};

export default config;
