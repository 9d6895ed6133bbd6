const { Order } = require('../models');
const orderService = require('../services/order-service');

exports.list = async (req, res) => { // route: GET express
  res.json(await orderService.list());
};

exports.show = async (req, res, next) => { // route: GET express
  res.json(await Order.findByPk(req.params.id));
};

async function archive(req, res) { // route: ? express
  res.status(204).end();
}

function toDto(order) { // not-route
  return { id: order.id };
}

function parsePage(req) { // not-route
  return Number(req.query.page || 1);
}

module.exports.archive = archive;
