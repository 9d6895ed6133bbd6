const fastify = require('fastify')({ logger: true });

fastify.get('/orders', async (request, reply) => { // route: GET fastify
  return [];
});

fastify.get('/orders/:id', { schema: { params: { type: 'object' } } }, async (request, reply) => { // route: GET fastify
  return {};
});

fastify.post('/orders', { schema: { body: {} }, preHandler: [auth] }, createOrder);

async function createOrder(request, reply) { // route: POST fastify
  reply.code(201);
  return {};
}

async function auth(request, reply) { // not-route
  if (!request.headers.authorization) reply.code(401).send();
}

fastify.route({
  method: 'DELETE',
  url: '/orders/:id',
  handler: async (request, reply) => { // route: DELETE fastify
    await request.server.db.delete(request.params.id);
    reply.code(204);
  },
});

fastify.route({
  method: ['GET', 'HEAD'],
  url: '/customers',
  preHandler: auth,
  handler: listCustomers,
});

async function listCustomers(request, reply) { // route: GET,HEAD fastify
  return [];
}

fastify.put('/orders/:id', { handler: async (request, reply) => ({}) }); // route: PUT fastify

fastify.addHook('onRequest', async (request, reply) => {}); // not-route
fastify.decorate('db', { get: (key) => key }); // not-route

fastify.listen({ port: 3000 });
