import Fastify, { type FastifyInstance } from 'fastify';
import { allowedMethods } from './allowed-methods';

/** A real Fastify router with a few of the api's shapes of route; its not-found handler reports what is allowed. */
async function router(withCatchAll: boolean): Promise<FastifyInstance> {
  const app = Fastify();
  app.get('/stories/:storyId', async () => 'story');
  app.post('/stories/:storyId/events', async () => 'posted');
  if (withCatchAll) app.get('/*', async () => 'a static file');
  app.setNotFoundHandler(async (request) => ({ allowed: allowedMethods(request) }));
  await app.ready();
  return app;
}

async function allowedOn(app: FastifyInstance, method: 'GET' | 'POST' | 'DELETE', url: string): Promise<string[]> {
  const answer = await app.inject({ method, url });
  return (answer.json() as { allowed: string[] }).allowed;
}

describe('allowed methods of a path', () => {
  it('given a path with routes for other methods, then those methods (HEAD with each GET), whatever the query', async () => {
    const app = await router(false);
    expect(await allowedOn(app, 'GET', '/stories/x/events')).toEqual(['POST']);
    expect(await allowedOn(app, 'POST', '/stories/x?constructor=1')).toEqual(['GET', 'HEAD']);
    expect(await allowedOn(app, 'DELETE', '/stories/x')).toEqual(['GET', 'HEAD']);
    await app.close();
  });

  it('given a path no route has, then none', async () => {
    const app = await router(false);
    expect(await allowedOn(app, 'GET', '/stories/x/nothing')).toEqual([]);
    await app.close();
  });

  it('given a catch-all route (a static file server), then it makes no path known', async () => {
    const app = await router(true);
    expect(await allowedOn(app, 'POST', '/no-such-route')).toEqual([]);
    expect(await allowedOn(app, 'DELETE', '/stories/x/events')).toEqual(['POST']);
    await app.close();
  });
});
