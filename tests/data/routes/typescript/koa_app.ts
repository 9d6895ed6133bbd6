import Router from '@koa/router';
import { Context } from 'koa';

const router = new Router();

router.get('/orders', async (ctx: Context) => { // route: GET koa
  ctx.body = [];
});

router.put('/orders/:id', async (ctx: Context, next: () => Promise<void>) => { // route: PUT koa
  ctx.status = 204;
});

export default router;
