# app/controllers/application_controller.rb: helpers of every controller, not routed actions
class ApplicationController < ActionController::Base
  protect_from_forgery with: :exception
  helper_method :current_user

  def current_user # not-route: ApplicationController helper
    @current_user ||= User.find_by(id: session[:user_id])
  end

  def render_not_found # not-route: ApplicationController helper
    head :not_found
  end
end

class HealthController < ApplicationController
  def show # route: GET rails
    head :ok
  end
end
