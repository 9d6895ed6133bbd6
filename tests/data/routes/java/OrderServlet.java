package com.example.shop.legacy;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

@WebServlet("/orders")
public class OrderServlet extends HttpServlet {

    @Override  // route: GET servlet
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.getWriter().write(render(req));
    }

    @Override  // route: POST servlet
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setStatus(201);
    }

    @Override  // not-route
    public void init() {
    }

    private String render(HttpServletRequest req) {  // not-route
        return "[]";
    }
}
