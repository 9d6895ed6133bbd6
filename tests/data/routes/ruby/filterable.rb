# app/controllers/concerns/filterable.rb: a concern, not a controller
module Filterable
  extend ActiveSupport::Concern

  def index # not-route: a module method
    apply_filters
  end

  def apply_filters # not-route
    params.permit(:status)
  end
end

class FilteredOrdersController < ApplicationController
  include Filterable

  def index # route: GET rails
    render json: apply_filters
  end
end
