from flask import Blueprint, jsonify, request

from app.services.orders import OrderService, everything

bp = Blueprint("api", __name__)
order_service = OrderService()


@bp.get("/api/orders")
def api_orders():
    return jsonify(order_service.all_open())


@bp.get("/api/orders/all")
def api_all():
    data = everything()
    return jsonify([o.to_dict() for o in data])


@bp.get("/api/orders/page")
def api_page():
    return jsonify(order_service.open_page(int(request.args.get("page", 1))))


@bp.get("/api/orders/count")
def api_count():
    return jsonify({"n": order_service.count_open()})
