from flask import Flask, Blueprint, jsonify, request
from flask.views import MethodView

app = Flask(__name__)
bp = Blueprint("orders", __name__)


@app.route("/orders")
def list_orders():  # route: GET flask
    return jsonify([])


@app.route("/orders", methods=["POST", "PUT"])
def create_order():  # route: POST,PUT flask
    return jsonify({}), 201


@bp.get("/orders/<int:order_id>")
def show_order(order_id):  # route: GET flask
    return jsonify({})


@bp.delete("/orders/<int:order_id>")
def delete_order(order_id):  # route: DELETE flask
    return "", 204


@cache.get("key")
def not_a_route():  # not-route
    return 1


def helper(x):  # not-route
    return x


class OrderAPI(MethodView):
    def get(self, order_id):  # route: GET flask
        return jsonify({})

    def post(self):  # route: POST flask
        return jsonify({})

    def _load(self, order_id):  # not-route
        return None
