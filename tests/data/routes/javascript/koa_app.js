const Koa = require('koa');
const Router = require('@koa/router');

const app = new Koa();
const router = new Router({ prefix: '/api' });

router.get('/orders', async (ctx) => { // route: GET koa
  ctx.body = await ctx.db.orders.findMany();
});

router.get('order', '/orders/:id', async (ctx, next) => { // route: GET koa
  ctx.body = {};
});

router.post('/orders', validate, async (ctx) => { // route: POST koa
  ctx.status = 201;
});

async function validate(ctx, next) { // not-route
  await next();
}

router.del('/orders/:id', async (ctx) => { // route: DELETE koa
  ctx.status = 204;
});

app.use(async (ctx, next) => { // not-route
  await next();
});
app.use(router.routes()).use(router.allowedMethods());
app.listen(3000);
