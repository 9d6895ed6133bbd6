package com.example.shop.api;

import jakarta.ws.rs.*;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

@Path("/orders")
@Produces(MediaType.APPLICATION_JSON)
public class OrderResource {

    @Inject
    OrderService orders;

    @GET  // route: GET jaxrs
    public List<Order> list(@QueryParam("page") int page) {
        return orders.page(page);
    }

    @GET  // route: GET jaxrs
    @Path("/{id}")
    public Response get(@PathParam("id") long id) {
        return Response.ok(orders.find(id)).build();
    }

    @POST  // route: POST jaxrs
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(Order order) {
        orders.save(order);
        return Response.status(201).build();
    }

    @Path("/{id}")  // route: PUT jaxrs
    @PUT
    public Order update(@PathParam("id") long id, Order order) {
        return orders.update(id, order);
    }

    @jakarta.ws.rs.DELETE  // route: DELETE jaxrs
    @Path("/{id}")
    public void delete(@PathParam("id") long id) {
        orders.delete(id);
    }

    @PATCH  // route: PATCH jaxrs
    @Path("/{id}")
    public Order patch(@PathParam("id") long id, OrderPatch p) {
        return orders.patch(id, p);
    }

    @HEAD  // route: HEAD jaxrs
    public Response head() {
        return Response.ok().build();
    }

    @Path("/{id}/items")  // not-route (sub-resource locator)
    public OrderItemsResource items(@PathParam("id") long id) {
        return new OrderItemsResource(orders.find(id));
    }

    public Order toEntity(OrderForm f) {  // not-route
        return new Order(f.total());
    }
}

class OrderItemsResource {
    private final Order order;

    OrderItemsResource(Order order) {  // not-route
        this.order = order;
    }

    @GET  // route: GET jaxrs
    public List<Item> items() {
        return order.getItems();
    }
}

@RegisterRestClient(configKey = "payments")
@Path("/payments")
interface PaymentsClient {
    @GET  // not-route (MicroProfile REST client: no body)
    @Path("/{id}")
    Payment get(@PathParam("id") String id);
}

interface GitHubService {
    @GET("users/{user}/repos")  // not-route (Retrofit client)
    Call<List<Repo>> listRepos(@Path("user") String user);

    @GET  // not-route (Retrofit client with @Url)
    Call<ResponseBody> fetch(@Url String url);
}
