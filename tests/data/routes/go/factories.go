package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
	"gorm.io/gorm"
)

// Handler factories: the returned func literal is the handler.
func listOrders(db *gorm.DB) gin.HandlerFunc {
	return func(c *gin.Context) { // route: GET gin
		c.JSON(http.StatusOK, nil)
	}
}

func createOrder(db *gorm.DB) gin.HandlerFunc {
	return func(c *gin.Context) { // route: POST gin
		c.Status(http.StatusCreated)
	}
}

func (h *Handlers) deleteOrder() gin.HandlerFunc {
	return func(c *gin.Context) { // route: DELETE gin
		c.Status(http.StatusNoContent)
	}
}

// registered in another file: recognised, method unknown
func exportOrders(db *gorm.DB) gin.HandlerFunc {
	return func(c *gin.Context) { // route: ? gin
	}
}

func healthHandler() http.HandlerFunc {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { // route: ? nethttp
		w.WriteHeader(http.StatusOK)
	})
}

// Middleware factories are not handlers.
func RequireAuth(secret string) gin.HandlerFunc {
	return func(c *gin.Context) { // not-route
		if c.GetHeader("Authorization") == "" {
			c.AbortWithStatus(http.StatusUnauthorized)
			return
		}
		c.Next()
	}
}

func RateLimit(n int) gin.HandlerFunc {
	return func(c *gin.Context) { // not-route
		if n == 0 {
			c.AbortWithStatus(http.StatusTooManyRequests)
		}
	}
}

func Logging(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { // not-route
		next.ServeHTTP(w, r)
	})
}

// A func returning a non-handler closure.
func counter() func() int {
	n := 0
	return func() int { // not-route
		n++
		return n
	}
}

func Register(r *gin.Engine, db *gorm.DB, h *Handlers) {
	r.Use(RateLimit(100))
	r.GET("/orders", RequireAuth("s"), listOrders(db))
	r.POST("/orders", createOrder(db))
	r.DELETE("/orders/:id", h.deleteOrder())
}
