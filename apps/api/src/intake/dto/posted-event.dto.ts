import type { Type } from '@nestjs/common';
import { ApiProperty, ApiSchema, getSchemaPath } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger';
import { MAX_EVENTS_PER_POST, STORY_EVENT_TYPES, type StoryEventType } from '@newsroom/domain';
import { EVENT_DTOS } from '../posted-events.validator';

/** `{type, data}` of one event type: a schema of its own, so that the body can name `type` as its discriminator. */
function postedEventDto(type: StoryEventType): Type<unknown> {
  @ApiSchema({ name: `${type}Event`, description: `A ${type} event as posted` })
  class PostedEventDto {
    @ApiProperty({ enum: [type] })
    readonly type!: StoryEventType;

    @ApiProperty({ type: EVENT_DTOS[type].dto })
    readonly data!: object;
  }
  return PostedEventDto;
}

export const POSTED_EVENT_DTOS: Readonly<Record<StoryEventType, Type<unknown>>> = Object.fromEntries(
  STORY_EVENT_TYPES.map((type) => [type, postedEventDto(type)]),
) as Record<StoryEventType, Type<unknown>>;

/** Any one event as posted, told apart by `type`. */
const POSTED_EVENT: SchemaObject = {
  oneOf: STORY_EVENT_TYPES.map((type) => ({ $ref: getSchemaPath(POSTED_EVENT_DTOS[type]) })),
  discriminator: {
    propertyName: 'type',
    mapping: Object.fromEntries(STORY_EVENT_TYPES.map((type) => [type, getSchemaPath(POSTED_EVENT_DTOS[type])])),
  },
};

/** Schemas with no class of their own, added to the document's components under these names. */
export const NAMED_BODY_SCHEMAS: Readonly<Record<string, SchemaObject>> = { PostedEvent: POSTED_EVENT };

/** The intake's body: one event, or an array of them recorded all or nothing. */
export const POSTED_EVENTS_BODY: SchemaObject = {
  oneOf: [{ $ref: getSchemaPath('PostedEvent') }, { type: 'array', minItems: 1, maxItems: MAX_EVENTS_PER_POST, items: { $ref: getSchemaPath('PostedEvent') } }],
};

/**
 * Every schema a posted body is made of. The intake refuses any field they do not list
 * (posted-events.validator.ts: forbidNonWhitelisted), which the document states as
 * `additionalProperties: false` on each.
 */
export const CLOSED_BODY_MODELS: readonly Type<unknown>[] = [
  ...Object.values(POSTED_EVENT_DTOS),
  ...Object.values(EVENT_DTOS).flatMap((entry) => [entry.dto, ...Object.values(entry.nested ?? {})]),
];
