package com.example.shop.web;

import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.*;

@RestController
@RequestMapping("/api/orders")
public class OrderController {

    private final OrderService orderService;

    public OrderController(OrderService orderService) {  // not-route
        this.orderService = orderService;
    }

    @GetMapping  // route: GET spring
    public List<OrderDto> list() {
        return orderService.list();
    }

    @GetMapping("/{id}")  // route: GET spring
    public ResponseEntity<OrderDto> show(@PathVariable long id) {
        return ResponseEntity.of(orderService.find(id));
    }

    @PostMapping(consumes = "application/json")  // route: POST spring
    public OrderDto create(@RequestBody CreateOrder body) {
        return orderService.create(body);
    }

    @org.springframework.web.bind.annotation.PutMapping("/{id}")  // route: PUT spring
    public OrderDto update(@PathVariable long id, @RequestBody CreateOrder body) {
        return orderService.update(id, body);
    }

    @PatchMapping(path = "/{id}/status")  // route: PATCH spring
    OrderDto patchStatus(@PathVariable long id, @RequestParam String status) {
        return orderService.changeStatus(id, status);
    }

    @DeleteMapping("/{id}")  // route: DELETE spring
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void delete(@PathVariable long id) {
        orderService.delete(id);
    }

    @RequestMapping(value = "/search", method = RequestMethod.GET)  // route: GET spring
    public List<OrderDto> search(@RequestParam String q) {
        return orderService.search(q);
    }

    @RequestMapping(value = "/sync", method = {RequestMethod.GET, RequestMethod.POST})  // route: GET,POST spring
    public String sync() {
        return "ok";
    }

    @RequestMapping(path = "/bulk/delete", method = RequestMethod.POST)  // route: POST spring
    public int bulkDelete(@RequestBody List<Long> ids) {
        return orderService.deleteAll(ids);
    }

    @RequestMapping(value = "/export/get", method = {RequestMethod.POST, RequestMethod.PUT})  // route: POST,PUT spring
    public String export() {
        return "csv";
    }

    @RequestMapping("/legacy")  // route: * spring
    public String legacy() {
        return "legacy";
    }

    /** Javadoc before the annotations. */
    @Transactional(readOnly = true)  // route: GET spring
    @GetMapping("/count")
    public long count() {
        return orderService.count();
    }

    @ExceptionHandler(OrderNotFound.class)  // not-route
    public ResponseEntity<String> notFound(OrderNotFound e) {
        return ResponseEntity.notFound().build();
    }

    @ModelAttribute("currency")  // not-route
    public String currency() {
        return "EUR";
    }

    public OrderDto toDto(Order order) {  // not-route
        return new OrderDto(order.getId(), order.getTotal());
    }

    private boolean canSee(Order order) {  // not-route
        return order != null;
    }
}

@Controller
class OrderPageController {

    @GetMapping("/orders")  // route: GET spring
    public String page(Model model) {
        model.addAttribute("orders", List.of());
        return "orders";
    }

    @PostMapping("/orders/{id}/cancel")  // route: POST spring
    public String cancel(@PathVariable long id) {
        return "redirect:/orders";
    }

    @InitBinder  // not-route
    public void initBinder(WebDataBinder binder) {
        binder.setDisallowedFields("id");
    }
}

@FeignClient(name = "inventory")
interface InventoryClient {
    @GetMapping("/stock/{sku}")  // not-route
    int stock(@PathVariable("sku") String sku);
}

class OrderCache {
    private final Map<Long, Order> map = new HashMap<>();

    public Order get(long id) {  // not-route
        return map.get(id);
    }
}

@RestController
class OrdersApiController implements OrdersApi {
    private final OrderService orderService;

    OrdersApiController(OrderService orderService) {  // not-route
        this.orderService = orderService;
    }

    @Override  // route: ? spring
    public ResponseEntity<List<OrderDto>> listOrders(Integer page, Integer size) {
        return ResponseEntity.ok(orderService.page(page, size));
    }

    @Override  // not-route
    public String toString() {
        return "OrdersApiController";
    }

    public OrderDto map(Order o) {  // not-route
        return new OrderDto(o.getId(), o.getTotal());
    }
}
