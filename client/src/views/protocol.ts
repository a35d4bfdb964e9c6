/**
 * The custom requests the NetPol server answers for the views: one definition, shared
 * with the server (server/src/lsp/protocol.ts holds only names and types, no runtime
 * dependencies), re-exported here for the panels and their pure renderers.
 */
export * from '../../../server/src/protocol';
