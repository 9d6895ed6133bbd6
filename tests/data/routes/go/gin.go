package handlers

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

type OrderHandler struct {
	svc *OrderService
}

func (h *OrderHandler) ListOrders(c *gin.Context) { // route: GET gin
	c.JSON(http.StatusOK, h.svc.List())
}

func (h *OrderHandler) GetOrder(c *gin.Context) { // route: GET gin
	c.JSON(http.StatusOK, nil)
}

func (h *OrderHandler) CreateOrder(c *gin.Context) { // route: POST gin
	c.Status(http.StatusCreated)
}

func (h *OrderHandler) Export(ctx *gin.Context) { // route: * gin
}

func deleteOrder(c *gin.Context) { // route: DELETE gin
	c.Status(http.StatusNoContent)
}

func patchOrder(c *gin.Context) { // route: PATCH gin
}

func optionsOrders(c *gin.Context) { // route: OPTIONS gin
}

func unregisteredGin(c *gin.Context) { // route: ? gin
}

func currentUserID(c *gin.Context) (int64, error) { // not-route
	v, ok := c.Get("user_id")
	if !ok {
		return 0, nil
	}
	return v.(int64), nil
}

func respondError(c *gin.Context, err error) { // not-route
	c.JSON(http.StatusInternalServerError, gin.H{"error": err.Error()})
}

func RequestID(c *gin.Context) { // not-route
	c.Header("X-Request-ID", "x")
	c.Next()
}

func RequireAdmin() gin.HandlerFunc { // not-route
	return func(c *gin.Context) { // not-route
		c.Next()
	}
}

func Register(r *gin.Engine, h *OrderHandler) {
	r.Use(RequestID)
	v1 := r.Group("/api/v1")
	v1.GET("/orders", h.ListOrders)
	v1.GET("/orders/:id", RequireAdmin(), h.GetOrder)
	v1.POST("/orders", RequestID, h.CreateOrder)
	v1.DELETE("/orders/:id", deleteOrder)
	v1.Any("/orders/export", h.Export)
	v1.Handle("PATCH", "/orders/:id", patchOrder)
	v1.Handle(http.MethodOptions, "/orders", optionsOrders)
	v1.PUT("/orders/:id", func(c *gin.Context) { // route: PUT gin
		c.Status(http.StatusOK)
	})
	r.GET("", func(c *gin.Context) { // route: GET gin
		c.String(http.StatusOK, "root")
	})
}

type UserHandler struct{}

func NewUserHandler() *UserHandler { return &UserHandler{} }

type ProductHandler struct{}

func (h *UserHandler) List(c *gin.Context) { // route: GET gin
}

func (h *ProductHandler) List(c *gin.Context) { // route: GET gin
}

func (h *UserHandler) Show(c *gin.Context) { // route: GET gin
}

func (h *ProductHandler) Show(c *gin.Context) { // route: GET gin
}

type App struct {
	products *ProductHandler
}

func RegisterMore(r *gin.Engine, app *App) {
	users := NewUserHandler()
	products := &ProductHandler{}
	r.GET("/users", users.List)
	r.GET("/products", products.List)
	r.GET("/users/:id", users.Show)
	r.GET("/products/:id", app.products.Show)
}
