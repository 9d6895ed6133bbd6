import { prisma } from '../../lib/prisma';

function toDto(order) { // not-route
  return { id: order.id };
}

export default async function handler(req, res) { // route: * nextjs
  if (req.method === 'GET') {
    const orders = await prisma.order.findMany();
    return res.json(orders.map(toDto));
  }
  res.status(405).end();
}
