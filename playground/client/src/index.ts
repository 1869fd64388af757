// The package's entry: the client, the typed `graphql()` documents and their types, ID
// helpers.
export {
  createClient,
  GatewayError,
  UserErrors,
  requireNoUserErrors,
  type Client,
  type ClientOptions,
  type GraphQLErrorShape,
  type UserErrorShape,
} from './client.js';
export * from './gql/index.js';
export { type Id, parseId, kindOf } from './ids.js';
