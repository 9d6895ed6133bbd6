using System.Collections.Generic;
using System.Web.Http;

namespace Shop.Legacy.Controllers
{
    // ASP.NET Web API 2: the verb comes from the name prefix
    public class ProductsController : ApiController
    {
        public IEnumerable<Product> GetAllProducts() => repository.GetAll(); // route: GET aspnet

        public IHttpActionResult GetProduct(int id) => Ok(repository.Get(id)); // route: GET aspnet

        public IHttpActionResult PostProduct(Product item) => Ok(repository.Add(item)); // route: POST aspnet

        public void DeleteProduct(int id) => repository.Remove(id); // route: DELETE aspnet

        [HttpGet] // route: GET aspnet
        public IHttpActionResult Search(string q) => Ok(repository.Search(q));

        public IHttpActionResult Getaway() => Ok(); // route: * aspnet

        [NonAction] // not-route
        public Product GetInternal(int id) => repository.Get(id);
    }
}
