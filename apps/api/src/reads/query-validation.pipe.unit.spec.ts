import 'reflect-metadata';
import type { ProblemException } from '../errors/problem-details';
import { ListStoriesQueryDto, StoryQueryDto } from './dto/read-query.dto';
import { queryValidation } from './query-validation.pipe';

/** A query string as Fastify hands it over: an object without a prototype, repeated names as arrays. */
function parsed(query: Record<string, string | string[]>): Record<string, string | string[]> {
  return Object.assign(Object.create(null) as Record<string, string | string[]>, query);
}

async function refusal(query: Record<string, string | string[]>, dto: new () => object = ListStoriesQueryDto) {
  try {
    await queryValidation().transform(parsed(query), { type: 'query', metatype: dto });
  } catch (error) {
    return (error as ProblemException).problem;
  }
  throw new Error(`${JSON.stringify(query)} was accepted`);
}

describe('query validation', () => {
  it.each(['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__', '__defineGetter__', 'isPrototypeOf', 'prototype', 'foo', 'Status'])(
    'when the query carries %s, a name no read declares, then it is refused as INVALID_QUERY naming it',
    async (name) => {
      const problem = await refusal({ [name]: '1' });
      expect(problem).toMatchObject({
        status: 400,
        code: 'INVALID_QUERY',
        errors: [{ parameter: name, detail: `${name} is not a parameter of this request` }],
      });
    },
  );

  it.each([
    ['limit', '-1'],
    ['limit', '0'],
    ['limit', '501'],
    ['limit', '1e2'],
    ['limit', 'ten'],
    ['limit', ['5', '6']],
    ['status', 'bogus'],
    ['status', ['denied', 'reported']],
    ['cursor', 'abc'],
    ['minPosition', '-1'],
    ['updatedSince', 'yesterday'],
    ['language', 'en_US'],
    ['company', 'not a slug'],
  ])('when %s is %j, then it is refused as INVALID_QUERY naming it', async (parameter, value) => {
    const problem = await refusal({ [parameter]: value });
    expect(problem).toMatchObject({ status: 400, code: 'INVALID_QUERY' });
    const errors = problem.errors as { parameter: string; detail: string }[];
    expect(errors.length).toBeGreaterThan(0);
    expect(errors).toEqual(errors.map(() => ({ parameter, detail: expect.stringContaining(parameter) })));
  });

  it('when several parameters are wrong, then each is listed', async () => {
    const problem = await refusal({ limit: '501', toString: '1', colour: 'blue' });
    expect(problem.errors).toEqual([expect.objectContaining({ parameter: 'toString' })]);
    const rest = await refusal({ limit: '501', colour: 'blue' });
    expect((rest.errors as { parameter: string }[]).map((e) => e.parameter).sort()).toEqual(['colour', 'limit']);
  });

  it('when the query is well formed, then limit is a number and status is in the lower case the list matches', async () => {
    const query = await queryValidation().transform(parsed({ limit: '500', status: 'DENIED', outlet: 'financial times' }), {
      type: 'query',
      metatype: ListStoriesQueryDto,
    });
    expect(query).toEqual(Object.assign(new ListStoriesQueryDto(), { limit: 500, status: 'denied', outlet: 'financial times' }));
  });

  it('when a parameter of another read is given, then it is unknown here', async () => {
    const problem = await refusal({ limit: '5' }, StoryQueryDto);
    expect(problem).toMatchObject({ code: 'INVALID_QUERY', errors: [{ parameter: 'limit' }] });
  });
});
