require "sinatra/base"
require "sinatra/namespace"

class OrdersApp < Sinatra::Base
  register Sinatra::Namespace

  get "/" do # route: GET sinatra
    erb :index
  end

  namespace "/api" do
    get "/orders" do # route: GET sinatra
      json Order.limit(20).all
    end

    post "/orders/#{VERSION}/bulk" do # route: POST sinatra
      halt 400 unless params[:orders]
    end
  end

  self.get "/ping" do # route: GET sinatra
    "pong"
  end

  def find_order(id) # not-route: a helper method of the app
    Order[id]
  end

  error Sequel::NoMatchingRow do # not-route
    halt 404
  end
end
