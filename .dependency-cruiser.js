// The dependency direction of DESIGN.md, enforced on every `npm run lint`.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'libs/domain holds the newsroom as data and pure functions: nothing of Nest, gRPC or EventStoreDB, nothing of ours.',
      severity: 'error',
      from: { path: '^libs/domain/' },
      to: { path: ['node_modules/(@nestjs|@grpc|@eventstore|better-sqlite3|fastify)', '^libs/(?!domain/)', '^apps/'] },
    },
    {
      name: 'projections-import-only-domain',
      severity: 'error',
      from: { path: '^libs/projections/' },
      to: { path: ['node_modules/(@nestjs|@grpc|@eventstore|better-sqlite3|fastify)', '^libs/(?!(projections|domain)/)', '^apps/'] },
    },
    {
      name: 'esdb-server-imports-nothing-of-ours',
      severity: 'error',
      from: { path: '^libs/esdb-server/' },
      to: { path: ['^libs/(?!esdb-server/)', '^apps/'] },
    },
    {
      name: 'one-place-speaks-eventstoredb',
      comment: 'Only libs/event-store talks to EventStoreDB through the client; the embedded server and its tests use its generated stubs.',
      severity: 'error',
      from: { path: '^(apps/(api|cli)|libs/(domain|projections))/', pathNot: '\\.spec\\.ts$|/test/' },
      to: { path: 'node_modules/@eventstore/db-client' },
    },
    {
      name: 'dashboard-speaks-http-only',
      comment:
        'The desk is a browser page: it knows the api only through HTTP and the types generated from its OpenAPI document, ' +
        'never by importing the api or the libs (their code would land in the bundle, or drift from what the api answers).',
      severity: 'error',
      from: { path: '^apps/dashboard/src/' },
      to: { path: ['^apps/(?!dashboard/)', '^libs/', 'node_modules/(@nestjs|@grpc|@eventstore|better-sqlite3|fastify)'] },
    },
    {
      name: 'nothing-imports-the-dashboard-source',
      severity: 'error',
      from: { path: '^(apps/(?!dashboard/)|libs/)' },
      to: { path: '^apps/dashboard/src/' },
    },
    {
      name: 'libs-never-import-apps',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    exclude: { path: '^(dist|data|node_modules)/' },
  },
};
