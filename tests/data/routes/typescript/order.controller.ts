import { Request, Response } from 'express';
import { orderService } from '../services/order.service';

export class OrderController {
  constructor(private readonly service = orderService) {} // not-route

  async list(req: Request, res: Response): Promise<void> { // route: GET express
    res.json(await this.service.list());
  }

  public async show(req: Request, res: Response): Promise<void> { // route: GET express
    res.json(await this.service.get(req.params.id));
  }

  remove = async (req: Request, res: Response): Promise<void> => { // route: ? express
    res.status(204).end();
  };

  private async load(req: Request): Promise<unknown> { // not-route
    return this.service.get(req.params.id);
  }

  protected parse(req: Request): number { // not-route
    return Number(req.query.page);
  }

  static toDto(order: { id: string }) { // not-route
    return { id: order.id };
  }
}

class InternalHelper {
  handle(req: Request) { // not-route
    return req.body;
  }
}
