// Three levels, named by file suffix (see README "Tests"):
//   *.unit.spec.ts  pure, nothing running
//   *.int.spec.ts   one component with its real dependencies (SQLite, a gRPC server)
//   *.e2e.spec.ts   whole programs over real gRPC / HTTP
// SWC compiles TypeScript for jest (type checking is `npm run typecheck`, part of `npm test`).
const swc = [
  '@swc/jest',
  {
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

const shared = {
  transform: { '^.+\\.ts$': swc },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: { '^@newsroom/(.*)$': '<rootDir>/libs/$1/src' },
  testEnvironment: 'node',
  rootDir: __dirname,
  roots: ['<rootDir>/apps', '<rootDir>/libs'],
};

module.exports = {
  // e2e tests start and stop whole programs: jest's 5 s default is too short on a busy 2-core machine
  // (a per-project testTimeout is not an option jest 29 takes).
  testTimeout: 30_000,
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['**/*.unit.spec.ts'] },
    { ...shared, displayName: 'int', testMatch: ['**/*.int.spec.ts'] },
    { ...shared, displayName: 'e2e', testMatch: ['**/*.e2e.spec.ts'] },
  ],
};
