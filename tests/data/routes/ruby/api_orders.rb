# An API controller outside app/controllers: recognised by its base class
module Api
  module V1
    class OrdersController < ActionController::API
      def index # route: GET rails
        render json: Order.limit(50)
      end

      def export # route: ? rails
        send_data Order.to_csv
      end

      public def summary # route: ? rails
        render json: { count: Order.count }
      end

      private

      def authenticate! # not-route
        head :unauthorized unless request.headers["X-Key"]
      end
    end

    class ReportsController < Api::V1::BaseController
      def show # route: GET rails
        render json: Report.find(params[:id])
      end

      def helper_value # not-route: named by `private :helper_value, :other`
        42
      end
      private :helper_value, :other
    end
  end
end

class Admin::InvoicesController < Admin::BaseController
  def destroy # route: DELETE rails
    Invoice.find(params[:id]).destroy
  end
end

# not controllers
class OrderService
  def index # not-route: a plain class
    Order.all
  end
end

class OrdersControllerTest < ActionController::TestCase
  def test_index # not-route: a controller test
    get :index
  end
end

class OrderSerializer < ActiveModel::Serializer
  def show # not-route
    object.id
  end
end

def index # not-route: top-level method
  1
end
