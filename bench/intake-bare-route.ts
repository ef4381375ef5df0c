import { EventStoreDBClient, jsonEvent } from '@eventstore/db-client';
import Fastify from 'fastify';

/**
 * The baseline of `npm run bench:intake`: a bare Fastify route that appends the posted
 * event through the same client to the same store, with nothing of the intake (no
 * auth, validation, rules or read). Started as a child process by the bench;
 * prints `listening on <url>` when ready.
 */
async function main(): Promise<void> {
  const connectionString = process.env.EVENTSTORE_CONNECTION_STRING;
  if (connectionString === undefined) throw new Error('EVENTSTORE_CONNECTION_STRING is required');
  const client = EventStoreDBClient.connectionString(connectionString);
  const app = Fastify();
  app.post<{ Params: { storyId: string }; Body: { type: string; data: Record<string, unknown> } }>('/stories/:storyId/events', async (request, reply) => {
    const result = await client.appendToStream(`story-${request.params.storyId}`, jsonEvent({ type: request.body.type, data: request.body.data }));
    reply.code(201);
    return { revision: Number(result.nextExpectedRevision), position: result.position?.commit.toString() };
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  console.log(`listening on ${url}`);
  const stop = () => {
    void app
      .close()
      .then(() => client.dispose())
      .then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
