export { ROLES, parseAccessTokenList, type AccessTokenEntry, type Role } from './access-token.list';
export { ConfigError, EXIT_BAD_SETTING, readEnvironment, readEnvironmentOrExit, readOption } from './environment.reader';
export { environmentSchema, PROGRAM_ENVIRONMENTS, redactConnectionString, type Environment, type Program, type Variable } from './environment.schema';
export { LOG_LEVELS, type LogLevelName } from './setting.schemas';
