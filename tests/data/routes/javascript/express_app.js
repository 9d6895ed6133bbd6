const express = require('express');
const asyncHandler = require('express-async-handler');
const { Order } = require('../models');

const app = express();
const router = express.Router();
const cache = new Map();

app.use(express.json());
app.use(requestLogger);
app.use('/api', router);

function requestLogger(req, res, next) { // not-route
  console.log(req.method, req.url);
  next();
}

function requireAuth(req, res, next) { // not-route
  if (!req.user) return res.status(401).end();
  next();
}

async function listOrders(req, res) { // route: GET express
  res.json(await Order.findAll());
}

app.get('/orders', requireAuth, listOrders);

app.get('/orders/:id', async (req, res) => { // route: GET express
  res.json(await Order.findByPk(req.params.id));
});

router.post('/orders', requireAuth, asyncHandler(async (req, res) => { // route: POST express
  res.status(201).json(await Order.create(req.body));
}));

router.delete('/orders/:id', function (req, res) { // route: DELETE express
  res.status(204).end();
});

app.all('/ping', (req, res) => res.send('pong')); // route: * express

router.route('/customers')
  .get((req, res) => res.json([])) // route: GET express
  .post((req, res) => res.status(201).end()); // route: POST express

router.route('/customers/:id').put(updateCustomer);

function updateCustomer(req, res) { // route: PUT express
  res.end();
}

app.get(`${PREFIX}/health`, (req, res) => res.send('ok')); // route: GET express

function lookup(key) { // not-route
  return cache.get(key);
}

cache.set('x', () => 1);
const settings = app.get('env');
const computed = memo.get('orders', () => compute()); // not-route

app.listen(3000, () => console.log('listening')); // not-route

module.exports = app;

async function warm(names) { // not-route
  await Promise.all(names.map((n) => n.replace(/`/g, '')));
  axios.get('/api/orders', (err, body) => body); // not-route
  request.get('/api/orders', function (err, res, body) { return body; }); // not-route
}
