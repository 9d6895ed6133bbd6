package com.example.shop.fn;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;
import static org.springframework.web.reactive.function.server.RequestPredicates.DELETE;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.*;
import reactor.core.publisher.Mono;

@Configuration
public class OrderRouter {

    private final OrderRepository repo;
    private final Map<String, String> headers = new HashMap<>();

    OrderRouter(OrderRepository repo) {  // not-route
        this.repo = repo;
    }

    @Bean
    public RouterFunction<ServerResponse> routes() {  // not-route
        return RouterFunctions.route()
            .GET("/orders", this::listOrders)
            .GET("/orders/{id}", request -> ServerResponse.ok().body(repo.findById(request.pathVariable("id")), Order.class))  // route: GET spring
            .POST("/orders", accept(MediaType.APPLICATION_JSON), this::createOrder)
            .build();
    }

    @Bean
    public RouterFunction<ServerResponse> legacyRoutes() {  // not-route
        return route(GET("/legacy/orders"), this::legacyList)
            .andRoute(DELETE("/legacy/orders/{id}"), this::legacyDelete);
    }

    Mono<ServerResponse> listOrders(ServerRequest request) {  // route: GET spring
        return ServerResponse.ok().body(repo.findAll(), Order.class);
    }

    Mono<ServerResponse> createOrder(ServerRequest request) {  // route: POST spring
        return request.bodyToMono(Order.class).flatMap(repo::save).flatMap(o -> ServerResponse.ok().bodyValue(o));
    }

    Mono<ServerResponse> legacyList(ServerRequest request) {  // route: GET spring
        return ServerResponse.ok().body(repo.findAll(), Order.class);
    }

    Mono<ServerResponse> legacyDelete(ServerRequest request) {  // route: DELETE spring
        return repo.deleteById(request.pathVariable("id")).then(ServerResponse.noContent().build());
    }

    String header(String name) {  // not-route
        return headers.get(name);
    }

    void warm(HttpClient client) {  // not-route
        client.GET("/orders/warm");
        client.get(uri -> uri.path("/orders").build());
    }
}
