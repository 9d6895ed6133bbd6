const customerService = require('../services/customer-service');

class CustomersController {
  async index(req, res) { // route: GET express
    res.json(await customerService.list());
  }

  async create(req, res) { // route: POST express
    res.status(201).json(await customerService.create(req.body));
  }

  _scope(req) { // not-route
    return req.user.tenantId;
  }
}

module.exports = new CustomersController();
