# app/controllers/admin/dashboard_controller.rb: recognised by its location and class name
class Admin::DashboardController < Admin::Base
  def index # route: GET rails
    @stats = Stats.latest
  end

  def refresh # route: ? rails
    Stats.refresh!
  end

  private

  def require_admin # not-route
    redirect_to root_path unless current_user&.admin?
  end
end

module Admin
  module Filterable # not-route: a concern-like module in a controller file
    def apply_filters(scope) # not-route
      scope.where(params.permit(:status))
    end
  end
end
