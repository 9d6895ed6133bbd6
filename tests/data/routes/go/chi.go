package routes

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
)

type OrdersResource struct{ store *Store }

func (rs OrdersResource) List(w http.ResponseWriter, r *http.Request) { // route: GET chi
}

func (rs OrdersResource) Create(w http.ResponseWriter, r *http.Request) { // route: POST chi
}

func (rs OrdersResource) Get(w http.ResponseWriter, r *http.Request) { // route: GET chi
	id := chi.URLParam(r, "id")
	_ = id
}

func (rs OrdersResource) Delete(w http.ResponseWriter, r *http.Request) { // route: DELETE chi
}

func report(w http.ResponseWriter, r *http.Request) { // route: PATCH chi
}

func ping(w http.ResponseWriter, r *http.Request) { // route: * chi
}

func OrderCtx(next http.Handler) http.Handler { // not-route
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { // not-route
		next.ServeHTTP(w, r)
	})
}

func (rs OrdersResource) Routes() chi.Router {
	r := chi.NewRouter()
	r.Get("/", rs.List)
	r.Post("/", rs.Create)
	r.Route("/{id}", func(r chi.Router) { // not-route
		r.Use(OrderCtx)
		r.Get("/", rs.Get)
		r.With(middleware.NoCache).Delete("/", rs.Delete)
	})
	return r
}

func Mount(r chi.Router, rs OrdersResource) {
	r.Use(middleware.Logger)
	r.Mount("/orders", rs.Routes())
	r.Method("PATCH", "/report", http.HandlerFunc(report))
	r.HandleFunc("/ping", ping)
	r.Group(func(r chi.Router) { // not-route
		r.Put("/settings", func(w http.ResponseWriter, r *http.Request) { // route: PUT chi
		})
	})
}
