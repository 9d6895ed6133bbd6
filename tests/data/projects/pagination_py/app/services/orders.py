from .models import Order


class OrderService:
    def all_open(self):
        return Order.objects.filter(status="open")

    def open_page(self, page, per_page=50):
        start = (page - 1) * per_page
        return Order.objects.filter(status="open")[start:start + per_page]

    def count_open(self):
        return Order.objects.filter(status="open").count()


def everything():
    orders = Order.objects.all()
    return orders
