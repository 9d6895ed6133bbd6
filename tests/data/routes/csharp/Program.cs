using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddDbContext<ShopDb>(o => o.UseSqlite("Data Source=shop.db"));
var app = builder.Build();

var cache = new Dictionary<string, string>();
var warm = cache.GetValueOrDefault("x");
var settings = builder.Configuration.GetSection("Shop").Get<ShopSettings>();

app.MapGet("/", () => "Hello World!"); // route: GET minimal-api

app.MapGet("/orders", async (ShopDb db) => await db.Orders.ToListAsync()); // route: GET minimal-api

app.MapGet("/orders/{id}", GetOrder) // not-route (the call; the handler is the local function below)
   .WithName("GetOrder");

app.MapPost("/orders", async (Order order, ShopDb db) => // route: POST minimal-api
{
    db.Orders.Add(order);
    await db.SaveChangesAsync();
    return Results.Created($"/orders/{order.Id}", order);
});

app.MapPut("/orders/{id}", [Authorize] async (int id, Order input, ShopDb db) => // route: PUT minimal-api
{
    var order = await db.Orders.FindAsync(id);
    if (order is null) return Results.NotFound();
    order.Status = input.Status;
    await db.SaveChangesAsync();
    return Results.NoContent();
});

app.MapDelete("/orders/{id}", OrderEndpoints.Delete); // not-route (the call)

var api = app.MapGroup("/api/customers").RequireAuthorization();
api.MapGet("", (ShopDb db) => db.Customers.Take(50).ToListAsync()); // route: GET minimal-api
api.MapPatch("{id}", static (int id) => Results.Ok(id)); // route: PATCH minimal-api
app.MapGroup("/api/v2").MapGet("/ping", () => "pong"); // route: GET minimal-api

app.MapGet("/hello", async context => await context.Response.WriteAsync("hi")); // route: GET minimal-api

app.MapMethods("/options", new[] { "OPTIONS", "HEAD" }, () => Results.Ok()); // route: OPTIONS,HEAD minimal-api
app.Map("/any", (HttpRequest req) => req.Method); // route: * minimal-api
app.Map("/legacy", async context => await context.Response.WriteAsync("legacy")); // route: * minimal-api

app.Map("/branch", branch => branch.Run(async ctx => await ctx.Response.WriteAsync("branch"))); // not-route (middleware branch)
app.Map("/admin", adminApp => // not-route (middleware branch)
{
    adminApp.UseAuthentication();
    adminApp.UseRouting();
});
app.MapFallback(() => Results.NotFound()); // route: * minimal-api

app.Use(async (context, next) => { await next(context); }); // not-route (middleware)
app.Run(async context => await context.Response.WriteAsync("fallback")); // not-route (terminal middleware)
app.MapControllers();
var dto = mapper.Map<OrderDto>(warm); // not-route
cache.TryGetValue("x", out var hit);

app.Run();

static async Task<IResult> GetOrder(int id, ShopDb db) => // route: GET minimal-api
    await db.Orders.FindAsync(id) is Order o ? Results.Ok(o) : Results.NotFound();

static string Helper(string s) => s.Trim(); // not-route

public static class OrderEndpoints
{
    public static async Task<IResult> Delete(int id, ShopDb db) // route: DELETE minimal-api
    {
        var order = await db.Orders.FindAsync(id);
        if (order is null) return Results.NotFound();
        db.Orders.Remove(order);
        await db.SaveChangesAsync();
        return Results.NoContent();
    }

    public static RouteGroupBuilder MapOrderApi(this RouteGroupBuilder group) // not-route
    {
        group.MapGet("/recent", ListRecent); // not-route (the call)
        group.MapPost("/{id}/ship", (int id, IShipping shipping) => shipping.ShipAsync(id)); // route: POST minimal-api
        return group;
    }

    static async Task<List<Order>> ListRecent(ShopDb db) => await db.Orders.OrderByDescending(o => o.Id).Take(20).ToListAsync(); // route: GET minimal-api
}
