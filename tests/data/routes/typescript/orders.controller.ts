import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, UseGuards, All } from '@nestjs/common';
import { OrdersService } from './orders.service';

@Controller('orders')
@UseGuards(AuthGuard)
export class OrdersController {
  constructor(private readonly ordersService: OrdersService) {} // not-route

  @Get()
  findAll(@Query('page') page = 1) { // route: GET nestjs
    return this.ordersService.findAll(page);
  }

  @Get(':id')
  async findOne(@Param('id') id: string) { // route: GET nestjs
    return this.ordersService.findOne(+id);
  }

  @Post()
  @HttpCode(201)
  create(@Body() dto: CreateOrderDto) { // route: POST nestjs
    return this.ordersService.create(dto);
  }

  @Put(':id')
  update(@Param('id') id: string, @Body() dto: UpdateOrderDto) { // route: PUT nestjs
    return this.ordersService.update(+id, dto);
  }

  @Delete(':id')
  remove(@Param('id') id: string) { // route: DELETE nestjs
    return this.ordersService.remove(+id);
  }

  @All('legacy/*')
  legacy() { // route: * nestjs
    return null;
  }

  private toDto(order: Order): OrderDto { // not-route
    return { id: order.id };
  }

  helper(): number { // not-route
    return 1;
  }
}

@Injectable()
export class OrdersService {
  async findAll(page: number) { // not-route
    return [];
  }
}
