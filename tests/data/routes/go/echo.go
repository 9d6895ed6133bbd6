package server

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

type Handler struct{ db *DB }

func (h *Handler) listOrders(c echo.Context) error { // route: GET echo
	return c.JSON(http.StatusOK, nil)
}

func (h *Handler) getOrder(c echo.Context) error { // route: GET echo
	return c.JSON(http.StatusOK, nil)
}

func (h *Handler) createOrder(c echo.Context) error { // route: POST echo
	return c.NoContent(http.StatusCreated)
}

func (h *Handler) search(c echo.Context) error { // route: GET,POST echo
	return nil
}

func (h *Handler) updateOrder(c echo.Context) error { // route: PUT echo
	return nil
}

func (h *Handler) unused(c echo.Context) error { // route: ? echo
	return nil
}

func bindOrder(c echo.Context) (*Order, error) { // not-route
	o := new(Order)
	return o, c.Bind(o)
}

func requireAuth(next echo.HandlerFunc) echo.HandlerFunc { // not-route
	return func(c echo.Context) error { // not-route
		return next(c)
	}
}

func New(h *Handler) *echo.Echo {
	e := echo.New()
	e.Use(middleware.Logger())
	g := e.Group("/api")
	g.GET("/orders", h.listOrders)
	g.GET("/orders/:id", h.getOrder, requireAuth)
	g.POST("/orders", h.createOrder, middleware.BodyLimit("1M"))
	g.Match([]string{http.MethodGet, http.MethodPost}, "/orders/search", h.search)
	g.Add(http.MethodPut, "/orders/:id", h.updateOrder)
	e.DELETE("/orders/:id", func(c echo.Context) error { // route: DELETE echo
		return c.NoContent(http.StatusNoContent)
	})
	return e
}
