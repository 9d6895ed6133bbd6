using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Shop.Pages.Orders
{
    public class IndexModel : PageModel
    {
        private readonly ShopDb _db;

        public IndexModel(ShopDb db) => _db = db; // not-route

        public IList<Order> Orders { get; set; } = new List<Order>();

        public async Task OnGetAsync() // route: GET aspnet
        {
            Orders = await _db.Orders.ToListAsync();
        }

        public async Task<IActionResult> OnPostDeleteAsync(int id) // route: POST aspnet
        {
            var order = await _db.Orders.FindAsync(id);
            if (order != null) { _db.Orders.Remove(order); await _db.SaveChangesAsync(); }
            return RedirectToPage();
        }

        public IActionResult OnGet(int id) => Page(); // route: GET aspnet

        public string FormatTotal(decimal total) => total.ToString("C"); // not-route

        public void OnGetting() { } // not-route

        public override void OnPageHandlerExecuting(Microsoft.AspNetCore.Mvc.Filters.PageHandlerExecutingContext context) { } // not-route
    }
}
