package main

import (
	"encoding/json"
	"net/http"
	"os"
)

type Server struct {
	store *Store
}

func listOrders(w http.ResponseWriter, r *http.Request) { // route: * nethttp
	json.NewEncoder(w).Encode([]string{})
}

func (s *Server) getOrder(w http.ResponseWriter, r *http.Request) { // route: GET nethttp
	id := r.PathValue("id")
	json.NewEncoder(w).Encode(id)
}

func (s *Server) createOrder(w http.ResponseWriter, r *http.Request) { // route: POST nethttp
	w.WriteHeader(http.StatusCreated)
}

func healthz(w http.ResponseWriter, _ *http.Request) { // route: * nethttp
	w.Write([]byte("ok"))
}

// ServeHTTP of a handler type: recognised by its signature alone
func (h *OrdersHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) { // route: ? nethttp
	w.WriteHeader(http.StatusOK)
}

func unregistered(w http.ResponseWriter, r *http.Request) { // route: ? nethttp
}

func writeJSON(w http.ResponseWriter, status int, v any) { // not-route
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func decode(r *http.Request, v any) error { // not-route
	return json.NewDecoder(r.Body).Decode(v)
}

func logging(next http.Handler) http.Handler { // not-route
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { // not-route
		next.ServeHTTP(w, r)
	})
}

func routes(s *Server) *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("/orders", listOrders)
	mux.HandleFunc("GET /orders/{id}", s.getOrder)
	mux.Handle("POST /orders", http.HandlerFunc(s.createOrder))
	mux.HandleFunc("/version", func(w http.ResponseWriter, r *http.Request) { // route: * nethttp
		w.Write([]byte(os.Getenv("VERSION")))
	})
	mux.Handle("DELETE /orders/{id}", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { // route: DELETE nethttp
		w.WriteHeader(http.StatusNoContent)
	}))
	mux.Handle("/static/", http.StripPrefix("/static/", http.FileServer(http.Dir("static"))))
	http.HandleFunc("/healthz", healthz)
	return mux
}

func other(cache *Cache, q map[string]string) {
	_ = cache.Get("orders")
	_ = q["x"]
	_ = os.Getenv("HOME")
	resp, _ := http.Get("http://example.com/orders")
	_ = resp
	cache.Do("key", func() (any, error) { // not-route
		return nil, nil
	})
}
