# Rails resource controller (virtual path app/controllers/orders_controller.rb)
class OrdersController < ApplicationController
  before_action :set_order, only: %i[show update destroy]
  after_action :track, only: :create

  def index # route: GET rails
    @orders = Order.where(user: current_user).page(params[:page])
  end

  def show # route: GET rails
    render json: @order
  end

  def new # route: GET rails
    @order = Order.new
  end

  def create # route: POST rails
    @order = Order.create!(order_params)
    redirect_to @order
  end

  def edit; end # route: GET rails

  def update # route: PATCH,PUT rails
    @order.update!(order_params)
  end

  def destroy # route: DELETE rails
    @order.destroy
    head :no_content
  end

  def cancel # route: ? rails
    @order.cancel!
  end

  def self.permitted_columns # not-route: a class method
    %w[id status]
  end

  class << self
    def resource_name # not-route: a class method in class << self
      "order"
    end
  end

  def paid? # not-route: a predicate helper
    @order.paid?
  end

  def current_filter=(value) # not-route: a setter
    @filter = value
  end

  private def audit(event) # not-route: `private def`
    Rails.logger.info(event)
  end

  def track # not-route: named by `private :track` below
    Analytics.track(:order_created)
  end
  private :track

  protected

  def load_user # not-route: after `protected`
    @user = User.find(params[:user_id])
  end

  private

  def set_order # not-route: after `private`
    @order = Order.find(params[:id])
  end

  def order_params # not-route: after `private`
    params.require(:order).permit(:total, :status)
  end
end
