export * from './identifier.rules';
export * from './limits.constants';
export * from './story/story.events';
export * from './story/story.metadata';
export * from './story/story.stream';
export * from './story/story.errors';
