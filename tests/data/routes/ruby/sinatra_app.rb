require "sinatra"
require "json"

get "/orders" do # route: GET sinatra
  Order.all.to_json
end

get "/orders/:id" do |id| # route: GET sinatra
  Order[id.to_i].to_json
end

post "/orders" do # route: POST sinatra
  Order.create(JSON.parse(request.body.read)).to_json
end

put("/orders/:id") { Order[params[:id]].update(params).to_json } # route: PUT sinatra

delete %r{/orders/(\d+)} do |id| # route: DELETE sinatra
  Order[id].destroy
end

patch "/orders/:id", provides: "json" do # route: PATCH sinatra
  Order[params[:id]].update(status: params[:status]).to_json
end

options "/orders" do # route: OPTIONS sinatra
  200
end

before do # not-route: a filter
  content_type :json
end

not_found do # not-route
  { error: "not found" }.to_json
end

helpers do
  def current_user # not-route: a helper
    User[session[:user_id]]
  end
end

cache.get("/orders") do # not-route: a receiver
  Order.all
end

settings.get "/x" do # not-route: a receiver
  1
end

value = store.fetch("/orders") { [] } # not-route

get "/health" # not-route: no block (Rack::Test / rspec request)

get :status do # not-route: a symbol path (Grape / Padrino)
  "ok"
end
