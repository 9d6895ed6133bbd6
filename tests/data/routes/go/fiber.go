package main

import (
	"github.com/gofiber/fiber/v2"
)

type OrderController struct{ repo *OrderRepo }

func (oc *OrderController) Index(c *fiber.Ctx) error { // route: GET fiber
	return c.JSON(oc.repo.All())
}

func (oc *OrderController) Show(c *fiber.Ctx) error { // route: GET fiber
	return c.JSON(nil)
}

func (oc *OrderController) Store(c *fiber.Ctx) error { // route: POST fiber
	return c.SendStatus(fiber.StatusCreated)
}

func anything(c *fiber.Ctx) error { // route: * fiber
	return nil
}

func replace(c *fiber.Ctx) error { // route: PUT fiber
	return nil
}

func orphan(c *fiber.Ctx) error { // route: ? fiber
	return nil
}

func authRequired(c *fiber.Ctx) error { // not-route
	if c.Get("Authorization") == "" {
		return fiber.ErrUnauthorized
	}
	return c.Next()
}

func parseID(c *fiber.Ctx) (int, error) { // not-route
	return c.ParamsInt("id")
}

func main() {
	app := fiber.New()
	oc := &OrderController{}
	api := app.Group("/api", authRequired)
	api.Get("/orders", oc.Index)
	api.Get("/orders/:id", authRequired, oc.Show)
	api.Post("/orders", oc.Store)
	api.All("/anything", anything)
	api.Add(fiber.MethodPut, "/orders/:id", replace)
	app.Delete("/orders/:id", func(c *fiber.Ctx) error { // route: DELETE fiber
		return c.SendStatus(fiber.StatusNoContent)
	})
	_ = app.Listen(":3000")
}
