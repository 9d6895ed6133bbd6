package api

import (
	"net/http"

	"github.com/gorilla/mux"
)

type OrderHandler struct{}

func (h *OrderHandler) List(w http.ResponseWriter, r *http.Request) { // route: GET nethttp
}

func (h *OrderHandler) Update(w http.ResponseWriter, r *http.Request) { // route: PUT,PATCH nethttp
}

func remove(w http.ResponseWriter, r *http.Request) { // route: DELETE nethttp
}

func authMiddleware(next http.Handler) http.Handler { // not-route
	return next
}

func Router(h *OrderHandler) *mux.Router {
	r := mux.NewRouter()
	r.Use(authMiddleware)
	api := r.PathPrefix("/api").Subrouter()
	api.HandleFunc("/orders", h.List).Methods("GET")
	api.HandleFunc("/orders/{id}", h.Update).Methods(http.MethodPut, http.MethodPatch)
	api.HandleFunc("/orders/{id}", remove).Methods("DELETE").Name("remove")
	return r
}
