import { createServer, type Server, type Socket, connect } from 'node:net';

/**
 * A TCP relay between the browser and the api whose connections a test can cut and
 * restore: the page sees its live stream drop and the api refuse it for a while, as on
 * a train through a tunnel, while the test keeps talking to the api directly.
 */
export interface CuttableProxy {
  readonly url: string;
  /** Destroys every open connection and refuses new ones until restore(). */
  cut(): void;
  restore(): void;
  /** The raw request heads the relay forwarded (to see the headers a reconnect sent). */
  readonly requestHeads: readonly string[];
  close(): Promise<void>;
}

export async function startCuttableProxy(target: { host: string; port: number }): Promise<CuttableProxy> {
  const open = new Set<Socket>();
  const requestHeads: string[] = [];
  let refusing = false;
  const server: Server = createServer((client) => {
    if (refusing) {
      client.destroy();
      return;
    }
    const upstream = connect(target.port, target.host);
    open.add(client).add(upstream);
    client.on('data', (chunk: Buffer) => {
      const text = chunk.toString('latin1');
      if (/^(GET|POST|HEAD|OPTIONS) /.test(text)) requestHeads.push(text.slice(0, text.indexOf('\r\n\r\n') === -1 ? 2_000 : text.indexOf('\r\n\r\n')));
    });
    client.pipe(upstream).pipe(client);
    const drop = (): void => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requestHeads,
    cut() {
      refusing = true;
      for (const socket of open) socket.destroy();
      open.clear();
    },
    restore() {
      refusing = false;
    },
    close() {
      for (const socket of open) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
