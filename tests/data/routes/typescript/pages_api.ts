import type { NextApiRequest, NextApiResponse } from 'next';

const handler = async (req: NextApiRequest, res: NextApiResponse) => { // route: * nextjs
  res.status(200).json([]);
};

function toDto(x: unknown) { // not-route
  return x;
}

export default handler;
