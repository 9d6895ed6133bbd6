using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Shop.Api.Controllers
{
    [ApiController]
    [Route("api/[controller]")]
    public class OrdersController : ControllerBase
    {
        private readonly IOrderService _orders;
        private readonly Dictionary<string, Order> _cache = new();

        public OrdersController(IOrderService orders) // not-route (constructor)
        {
            _orders = orders;
        }

        [HttpGet] // route: GET aspnet
        public async Task<ActionResult<IEnumerable<OrderDto>>> List()
        {
            var items = await _orders.ListAsync();
            return Ok(items.Select(o => new OrderDto(o.Id, o.Total)));
        }

        [HttpGet("{id:int}", Name = "GetOrder")] // route: GET aspnet
        public async Task<ActionResult<OrderDto>> Get(int id)
        {
            var order = await _orders.FindAsync(id);
            if (order == null) return NotFound();
            return new OrderDto(order.Id, order.Total);
        }

        [HttpPost] // route: POST aspnet
        [Authorize(Roles = "admin")]
        public async Task<IActionResult> Create([FromBody] CreateOrder cmd)
        {
            var id = await _orders.CreateAsync(cmd);
            return CreatedAtAction(nameof(Get), new { id }, null);
        }

        [Authorize] // route: PUT aspnet
        [HttpPut("{id}")]
        public Task Update(int id, UpdateOrder cmd) => _orders.UpdateAsync(id, cmd);

        [HttpPatch("{id}/status")] // route: PATCH aspnet
        public IActionResult Patch(int id) { return NoContent(); }

        [Microsoft.AspNetCore.Mvc.HttpDelete("{id}")] // route: DELETE aspnet
        public async Task<IActionResult> Delete(int id)
        {
            await _orders.DeleteAsync(id);
            return NoContent();
        }

        [AcceptVerbs("GET", "HEAD")] // route: GET,HEAD aspnet
        public IActionResult Ping() => Ok();

        [Route("export")] // route: * aspnet
        public IActionResult Export() => Ok();

        [HttpGet(Name = "Latest")] // route: GET aspnet
        public IActionResult Latest() => Ok();

        public IActionResult Summary() => Ok(); // route: * aspnet

        [NonAction] // not-route
        public OrderDto ToDto(Order o) => new OrderDto(o.Id, o.Total);

        private decimal Total(IEnumerable<Order> orders) => orders.Sum(o => o.Total); // not-route

        protected void Audit(string what) { } // not-route

        internal void Trace() { } // not-route

        public static OrderDto Map(Order o) => new OrderDto(o.Id, o.Total); // not-route

        public Order Cached(string key) => _cache.GetValueOrDefault(key); // route: * aspnet

        public override void OnActionExecuting(Microsoft.AspNetCore.Mvc.Filters.ActionExecutingContext context) { } // not-route

        public void Dispose() { } // not-route

        private class Page // not-route (nested helper type)
        {
            public int Size() => 20; // not-route
        }
    }

    public abstract class BaseApiController : ControllerBase
    {
        protected IActionResult Problem404() => NotFound(); // not-route

        public abstract IActionResult Describe(); // not-route (abstract)

        [HttpGet("health")] // route: GET aspnet
        public IActionResult Health() => Ok();
    }

    public class CustomersController : BaseApiController
    {
        public override IActionResult Describe() => Ok(); // route: * aspnet

        [HttpPost("{id}/merge")] // route: POST aspnet
        public IActionResult Merge(int id) => Ok();
    }

    [Route("home")]
    public class HomeController : Controller
    {
        public IActionResult Index() => View(); // route: * aspnet

        [HttpPost] // route: POST aspnet
        [ValidateAntiForgeryToken]
        public IActionResult Contact(ContactForm form) => RedirectToAction(nameof(Index));
    }

    [Controller]
    public class ReportsEndpoint
    {
        public string Weekly() => "ok"; // route: * aspnet

        private string Helper() => "x"; // not-route
    }

    // an ASP.NET Core project's own `ApiController` base: no Web API 2 verb-by-name routing
    public abstract class ApiController : ControllerBase
    {
    }

    public class InvoicesController : ApiController
    {
        public IActionResult GetInvoices() => Ok(); // route: * aspnet
    }

    public interface IOrdersController
    {
        [HttpGet] // not-route (interface)
        Task<IActionResult> List();
    }

    public class OrderService : IOrderService
    {
        public Task<List<Order>> ListAsync() => Task.FromResult(new List<Order>()); // not-route

        public Order Get(string key) => _cache[key]; // not-route
    }

    public class PlayerController : MonoBehaviour
    {
        public void Update() { } // not-route (Unity)
    }

    public class OrdersViewController : UIViewController
    {
        public void ShowOrders() { } // not-route (Xamarin.iOS)
    }
}
