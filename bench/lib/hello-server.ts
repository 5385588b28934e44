// Child process of measureFastifyHello: a bare Fastify 5 hello-world on a random port, reported to the parent over
// IPC. It runs apart from autocannon so the load generator does not steal the server's event loop.
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/', async () => ({ hello: 'world' }));

const address = await app.listen({ host: '127.0.0.1', port: 0 });
process.send?.({ url: address });

// The parent disconnects IPC when it is done (or dies): shut down then.
process.on('disconnect', () => {
  void app.close().then(() => process.exit(0));
});
