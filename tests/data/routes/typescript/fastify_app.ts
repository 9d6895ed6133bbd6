import Fastify, { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export default async function routes(app: FastifyInstance): Promise<void> { // not-route
  app.get<{ Params: { id: string } }>('/orders/:id', async (request, reply) => { // route: GET fastify
    return { id: request.params.id };
  });

  app.route({
    method: 'POST',
    url: '/orders',
    handler: async (request: FastifyRequest, reply: FastifyReply) => { // route: POST fastify
      reply.code(201);
    },
  });
}
