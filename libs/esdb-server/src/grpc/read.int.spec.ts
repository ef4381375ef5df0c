import type { ServiceError } from '@grpc/grpc-js';
import { Empty } from '@eventstore/db-client/generated/shared_pb';
import { ReadReq, type ReadResp } from '@eventstore/db-client/generated/streams_pb';
import { randomUUID } from 'node:crypto';
import { rawRead, startRawServer, streamReadRequest, type RawServer } from './test/raw-client';

function allRequest(count: number, direction = ReadReq.Options.ReadDirection.FORWARDS, filter?: ReadReq.Options.FilterOptions): ReadReq {
  const all = new ReadReq.Options.AllOptions();
  if (direction === ReadReq.Options.ReadDirection.FORWARDS) all.setStart(new Empty());
  else all.setEnd(new Empty());
  const options = new ReadReq.Options()
    .setAll(all)
    .setReadDirection(direction)
    .setCount(String(count))
    .setUuidOption(new ReadReq.Options.UUIDOption().setString(new Empty()));
  if (filter) options.setFilter(filter);
  else options.setNoFilter(new Empty());
  return new ReadReq().setOptions(options);
}

const numbersOf = (messages: ReadResp[]) =>
  messages
    .filter((m) => m.hasEvent() && m.getEvent()!.getEvent()!.getStreamIdentifier()!.getStreamName_asU8().length > 0)
    .map((m) => m.getEvent()!.getEvent()!)
    .filter((e) => e.getMetadataMap().get('type') !== undefined && !e.getMetadataMap().get('type')!.startsWith('$'))
    .map((e) => JSON.parse(Buffer.from(e.getData_asU8()).toString()).n as number);

describe('Read in count mode over raw gRPC', () => {
  let server: RawServer;
  const total = 5_000;

  beforeAll(async () => {
    server = await startRawServer();
    for (let i = 0; i < total; i += 1_000) {
      const events = Array.from({ length: 1_000 }, (_, j) => ({
        id: randomUUID(),
        type: (i + j) % 2 === 0 ? 'Even' : 'Odd',
        isJson: true,
        data: Buffer.from(JSON.stringify({ n: i + j })),
        metadata: new Uint8Array(0),
      }));
      await server.engine.append('many', { kind: 'any' }, events);
    }
  });
  afterAll(() => server.stop());

  it('streams a large read completely, in order, then ends with OK', async () => {
    const read = await rawRead(server.streams(), streamReadRequest('many', total + 10));
    expect(read.error).toBeUndefined();
    const n = numbersOf(read.messages);
    expect(n).toHaveLength(total);
    expect(n.every((v, i) => v === i)).toBe(true);
  });

  it('honours count and direction on $all', async () => {
    const back = await rawRead(server.streams(), allRequest(3, ReadReq.Options.ReadDirection.BACKWARDS));
    expect(numbersOf(back.messages)).toEqual([total - 1, total - 2, total - 3]);
  });

  it('applies a filter to a count-mode $all read, counting matching events', async () => {
    const filter = new ReadReq.Options.FilterOptions()
      .setEventType(new ReadReq.Options.FilterOptions.Expression().setPrefixList(['Odd']))
      .setCount(new Empty());
    const read = await rawRead(server.streams(), allRequest(4, ReadReq.Options.ReadDirection.FORWARDS, filter));
    expect(numbersOf(read.messages)).toEqual([1, 3, 5, 7]);
  });

  it('survives a client that cancels in the middle of a read', async () => {
    const client = server.streams();
    await new Promise<void>((done) => {
      const call = client.read(streamReadRequest('many', total));
      let seen = 0;
      call.on('data', () => {
        if (++seen === 10) call.cancel();
      });
      call.on('error', (e: ServiceError) => {
        expect(e.code).toBe(1);
        done();
      });
      call.on('end', () => done());
    });
    const again = await rawRead(server.streams(), streamReadRequest('many', 5));
    expect(numbersOf(again.messages)).toEqual([0, 1, 2, 3, 4]);
  });
});
