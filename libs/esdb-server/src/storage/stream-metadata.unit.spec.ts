import { DELETED_STREAM_REVISION, firstVisibleRevision, originalStreamOf, parseMetadata, softDeleteMetadata, undeleteMetadata } from './stream-metadata';

const bytes = (json: string) => Buffer.from(json, 'utf8');

describe('reading stream metadata', () => {
  it('reads $tb, $maxCount and $maxAge', () => {
    expect(parseMetadata(bytes('{"$tb":3,"$maxCount":10,"$maxAge":60,"owner":"desk"}'))).toEqual({
      truncateBefore: 3n,
      maxCount: 10n,
      maxAge: 60,
      raw: { $tb: 3, $maxCount: 10, $maxAge: 60, owner: 'desk' },
    });
  });

  it('reads the soft-delete marker exactly, although JSON numbers are doubles', () => {
    expect(parseMetadata(softDeleteMetadata()).truncateBefore).toBe(DELETED_STREAM_REVISION);
    expect(softDeleteMetadata().toString('utf8')).toBe('{"$tb":9223372036854775807}');
  });

  it('takes anything but a JSON object as no metadata, and ignores values of the wrong kind', () => {
    expect(parseMetadata(bytes('[1]'))).toEqual({ raw: undefined });
    expect(parseMetadata(bytes('not json'))).toEqual({ raw: undefined });
    expect(parseMetadata(bytes('{"$maxCount":"5","$tb":-1,"$maxAge":0}'))).toMatchObject({
      truncateBefore: undefined,
      maxCount: undefined,
      maxAge: undefined,
    });
  });
});

describe('undeleting', () => {
  it('moves $tb to the first new revision, keeping every other key where it was', () => {
    const latest = parseMetadata(bytes('{"$maxCount":5,"$tb":9223372036854775807,"owner":"desk"}'));

    expect(undeleteMetadata(latest, 12n)?.toString('utf8')).toBe('{"$maxCount":5,"$tb":12,"owner":"desk"}');
  });

  it('prints revisions beyond 2^53 exactly', () => {
    expect(undeleteMetadata(parseMetadata(bytes('{}')), 9007199254740993n)?.toString('utf8')).toBe('{"$tb":9007199254740993}');
  });

  it('writes nothing when the latest metadata is not a JSON object', () => {
    expect(undeleteMetadata(parseMetadata(bytes('oops')), 1n)).toBeUndefined();
  });
});

describe('visible revisions', () => {
  it('starts at the higher of $tb and the start of the last $maxCount events', () => {
    expect(firstVisibleRevision(undefined, 9n)).toBe(0n);
    expect(firstVisibleRevision(parseMetadata(bytes('{"$tb":4}')), 9n)).toBe(4n);
    expect(firstVisibleRevision(parseMetadata(bytes('{"$maxCount":3}')), 9n)).toBe(7n);
    expect(firstVisibleRevision(parseMetadata(bytes('{"$maxCount":3,"$tb":8}')), 9n)).toBe(8n);
  });
});

it('names the stream a metastream describes', () => {
  expect(originalStreamOf('$$story-1')).toBe('story-1');
  expect(originalStreamOf('story-1')).toBe('story-1');
});
