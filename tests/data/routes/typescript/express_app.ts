import express, { Request, Response, NextFunction, Router } from 'express';

const router: Router = express.Router();
const cache = new Map<string, string>();

router.get('/orders', async (req: Request, res: Response) => { // route: GET express
  res.json([]);
});

router.patch('/orders/:id', authenticate, async (req: Request<{ id: string }>, res: Response): Promise<void> => { // route: PATCH express
  res.json({});
});

export async function getOrder(req: Request, res: Response): Promise<void> { // route: GET express
  res.json({});
}

router.get('/orders/:id', getOrder);

function authenticate(req: Request, res: Response, next: NextFunction): void { // not-route
  next();
}

export function lookup(key: string): string | undefined { // not-route
  return cache.get(key);
}

export default router;
