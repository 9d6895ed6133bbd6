// a handler module registered from another file (router.post('/checkout', handlers.checkout))
const { Order } = require('../models');

async function checkout(req, res) {  // route: ? express
  res.json(await Order.findAll());
}

async function requireUser(req, res, next) {  // not-route: middleware takes next
  if (!req.user) return res.sendStatus(401);
  return next();
}

function formatRow(req, res) {  // not-route: not exported
  return { req, res };
}

module.exports = { checkout, requireUser };
