import { ReadResp } from '@eventstore/db-client/generated/streams_pb';
import type { StoredEvent } from '../storage';
import { encodeEventResp, encodeResolvedResp } from './read-resp.encoder';

const event = (overrides: Partial<StoredEvent> = {}): StoredEvent => ({
  streamId: 'story-ford-xiaomi',
  revision: 3n,
  position: 1234n,
  id: '6f9619ff-8b86-d011-b42d-00cf4fc964ff',
  type: 'CompanyDenied',
  isJson: true,
  data: Buffer.from('{"companyId":"ford"}'),
  metadata: Buffer.from('{"recordedBy":"desk"}'),
  created: 17_000_000_000_000_000n,
  ...overrides,
});

/** Everything the client reads from a RecordedEvent, via the generated classes. */
function view(record: ReadResp.ReadEvent.RecordedEvent | undefined) {
  if (!record) return undefined;
  return {
    id: record.getId()?.getString(),
    stream: Buffer.from(record.getStreamIdentifier()!.getStreamName_asU8()).toString('utf8'),
    revision: record.getStreamRevision(),
    commit: record.getCommitPosition(),
    prepare: record.getPreparePosition(),
    metadata: Object.fromEntries(record.getMetadataMap().getEntryList()),
    data: Buffer.from(record.getData_asU8()).toString('utf8'),
    custom: Buffer.from(record.getCustomMetadata_asU8()).toString('utf8'),
  };
}

describe('the hand-written ReadResp encoder', () => {
  it('produces what the generated classes decode field for field', () => {
    const resp = ReadResp.deserializeBinary(encodeEventResp(event()));
    expect(resp.getContentCase()).toBe(ReadResp.ContentCase.EVENT);
    const read = resp.getEvent()!;
    expect(read.getCommitPosition()).toBe('1234');
    expect(read.hasLink()).toBe(false);
    expect(view(read.getEvent())).toEqual({
      id: '6f9619ff-8b86-d011-b42d-00cf4fc964ff',
      stream: 'story-ford-xiaomi',
      revision: '3',
      commit: '1234',
      prepare: '1234',
      metadata: { type: 'CompanyDenied', 'content-type': 'application/json', created: '17000000000000000' },
      data: '{"companyId":"ford"}',
      custom: '{"recordedBy":"desk"}',
    });
  });

  it('handles zero values, empty payloads, binary content, UTF-8 names and the largest revisions', () => {
    const e = event({
      streamId: 'berita-sama sekali tidak benar-ü',
      type: 'Bantahan→',
      revision: 9_223_372_036_854_775_807n,
      position: 0n,
      isJson: false,
      data: new Uint8Array(0),
      metadata: new Uint8Array(0),
    });
    const read = ReadResp.deserializeBinary(encodeEventResp(e)).getEvent()!;
    expect(read.hasCommitPosition()).toBe(true);
    expect(read.getCommitPosition()).toBe('0');
    expect(view(read.getEvent())).toMatchObject({
      stream: 'berita-sama sekali tidak benar-ü',
      revision: '9223372036854775807',
      commit: '0',
      metadata: { type: 'Bantahan→', 'content-type': 'application/octet-stream' },
      data: '',
      custom: '',
    });
  });

  it('encodes large payloads and positions beyond 2^53', () => {
    const big = Buffer.alloc(300_000, 7);
    const e = event({ data: big, position: 2n ** 60n + 5n });
    const read = ReadResp.deserializeBinary(encodeEventResp(e)).getEvent()!;
    expect(Buffer.from(read.getEvent()!.getData_asU8()).equals(big)).toBe(true);
    expect(read.getCommitPosition()).toBe((2n ** 60n + 5n).toString());
  });

  it('carries a resolved link: event is the target, link the link record, position the link', () => {
    const target = event();
    const link = event({ streamId: '$ce-story', revision: 0n, position: 2000n, type: '$>', isJson: false, data: Buffer.from('3@story-ford-xiaomi') });
    const read = ReadResp.deserializeBinary(encodeResolvedResp(target, link, link.position)).getEvent()!;
    expect(view(read.getEvent())?.stream).toBe('story-ford-xiaomi');
    expect(view(read.getLink())?.stream).toBe('$ce-story');
    expect(read.getCommitPosition()).toBe('2000');
    const unresolved = ReadResp.deserializeBinary(encodeResolvedResp(undefined, link, link.position)).getEvent()!;
    expect(unresolved.hasEvent()).toBe(false);
    expect(view(unresolved.getLink())?.data).toBe('3@story-ford-xiaomi');
  });
});
