package main

import (
	"github.com/gofiber/fiber/v3"
)

// fiber v3: fiber.Ctx is an interface
func list(c fiber.Ctx) error { // route: GET fiber
	return c.JSON(nil)
}

func main() {
	app := fiber.New()
	app.Get("/items", list)
}
